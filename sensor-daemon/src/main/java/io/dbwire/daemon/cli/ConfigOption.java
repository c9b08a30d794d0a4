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
    private io.dbwire.core.config.PolicyConfig policy = io.dbwire.core.config.PolicyConfig.NONE;

    DaemonConfig load() {
        try {
            ConfigLoader loader = new ConfigLoader();
            DaemonConfig config = loader.load(file, ConfigLoader.DEFAULT_LOCATIONS);
            policy = loader.policy();
            return config;
        } catch (ConfigException e) {
            throw new UsageException("config: " + e.getMessage());
        }
    }

    /** The policy file of the configuration {@link #load} read, parsed and checked once, with it. */
    io.dbwire.core.config.PolicyConfig policy() {
        return policy;
    }
}
