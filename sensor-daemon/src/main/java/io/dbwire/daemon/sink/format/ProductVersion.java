package io.dbwire.daemon.sink.format;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** dbwire's version as Maven wrote it into version.properties, for the product fields of SIEM formats. */
public final class ProductVersion {
    private ProductVersion() {}

    public static String get() {
        Properties p = new Properties();
        try (InputStream in = ProductVersion.class.getResourceAsStream("/io/dbwire/daemon/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return p.getProperty("version", "unknown");
    }
}
