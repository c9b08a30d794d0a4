package io.dbwire.daemon.cli;

import io.dbwire.daemon.config.DaemonConfig;
import io.dbwire.daemon.lifecycle.Daemon;
import io.dbwire.daemon.lifecycle.DaemonStartException;
import io.dbwire.daemon.sink.AlertFormatter;
import io.dbwire.daemon.clock.MicrosClock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;

@CommandLine.Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = "Receives mirrored traffic (VXLAN over UDP, optionally GENEVE) and runs until SIGTERM.")
final class RunCommand implements Callable<Integer> {
    /** Period of the stats line in the daemon log. */
    static final Duration STATS_INTERVAL = Duration.ofMinutes(1);

    @CommandLine.Mixin
    ConfigOption config = new ConfigOption();

    private final AlertFormatter alertFormatter;

    RunCommand(AlertFormatter alertFormatter) {
        this.alertFormatter = alertFormatter;
    }

    @Override
    public Integer call() {
        DaemonConfig cfg = config.load();
        Daemon daemon = new Daemon(cfg, new Daemon.Options(true, STATS_INTERVAL, MicrosClock.SYSTEM, alertFormatter));
        try {
            daemon.start();
        } catch (DaemonStartException e) {
            throw new UsageException(e.getMessage());
        }
        // SIGTERM/SIGINT run the hook: stop UDP, drain, finish the sensor, flush and close sinks.
        Runtime.getRuntime().addShutdownHook(new Thread(daemon::stop, "dbwire-shutdown"));
        daemon.awaitStopped();
        return ExitCodes.OK;
    }
}
