package io.dbwire.daemon.cli;

import io.dbwire.daemon.config.ConfigException;
import io.dbwire.daemon.config.ConfigLoader;
import io.dbwire.daemon.config.DaemonConfig;
import java.nio.file.Path;
import picocli.CommandLine;

/** The {@code --config FILE} option shared by the subcommands. */
public final class ConfigOption {
    @CommandLine.Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Configuration file (default: ./config/dbwire.yml, then /etc/dbwire/dbwire.yml, else built-in defaults).")
    Path file;

    DaemonConfig load() {
        try {
            return new ConfigLoader().load(file, ConfigLoader.DEFAULT_LOCATIONS);
        } catch (ConfigException e) {
            throw new UsageException("config: " + e.getMessage());
        }
    }
}
