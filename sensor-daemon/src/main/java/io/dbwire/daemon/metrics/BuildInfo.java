package io.dbwire.daemon.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version and git commit Maven wrote into version.properties at build time. */
public final class BuildInfo {
    private static final Properties BUILD = load();

    private BuildInfo() {}

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/io/dbwire/daemon/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // an unreadable resource leaves every value "unknown"
        }
        return p;
    }

    /** A property, or "unknown" when missing or left unfiltered (a build without git has no commit). */
    private static String property(String name) {
        String v = BUILD.getProperty(name, "");
        return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
    }

    public static String version() {
        return property("version");
    }

    /** Abbreviated commit id, with "-dirty" when the tree had uncommitted changes at build time. */
    public static String commit() {
        String c = property("commit");
        return "true".equals(property("dirty")) && !"unknown".equals(c) ? c + "-dirty" : c;
    }
}
