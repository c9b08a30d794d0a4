package io.dbwire.daemon.cli;

import io.dbwire.daemon.metrics.BuildInfo;
import picocli.CommandLine;

/** {@code dbwire --version}: version and git commit of the build, and the Java running it. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"dbwire " + BuildInfo.version() + " (commit " + BuildInfo.commit() + ")",
            "Java " + System.getProperty("java.version")};
    }
}
