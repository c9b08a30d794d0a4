package io.dbwire.daemon.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The single-page UI shipped in the jar: {@code index.html}, {@code app.css} and {@code app.js}, hand-written,
 * no third-party code. The console serves them as files; a report inlines them around its data.
 */
public final class ConsoleUi {
    private static final String BASE = "/io/dbwire/daemon/console/ui/";

    private ConsoleUi() {}

    public static String html() {
        return read("index.html");
    }

    public static String css() {
        return read("app.css");
    }

    public static String js() {
        return read("app.js");
    }

    private static String read(String name) {
        try (InputStream in = ConsoleUi.class.getResourceAsStream(BASE + name)) {
            if (in == null) {
                throw new IllegalStateException("console resource missing from the jar: " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
