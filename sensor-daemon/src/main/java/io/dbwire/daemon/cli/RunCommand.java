package io.dbwire.daemon.cli;

import io.dbwire.daemon.config.DaemonConfig;
import io.dbwire.daemon.lifecycle.Daemon;
import io.dbwire.daemon.lifecycle.DaemonStartException;
import io.dbwire.daemon.lifecycle.Signals;
import io.dbwire.daemon.sink.AlertFormatter;
import io.dbwire.daemon.clock.MicrosClock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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
        Daemon daemon = new Daemon(cfg, new Daemon.Options(true, STATS_INTERVAL, MicrosClock.SYSTEM, alertFormatter,
                config.policy()));
        // SIGTERM/SIGINT ask for a stop (UDP closed, queue drained, sensor finished, sinks flushed and closed) and
        // this returns 0. Installed before start so that a signal during start-up is a stop too, not a JVM exit.
        CountDownLatch stopRequested = new CountDownLatch(1);
        Signals.onStop(stopRequested::countDown);
        try {
            daemon.start();
        } catch (DaemonStartException e) {
            throw new UsageException(e.getMessage());
        }
        Signals.onHangup(daemon::reopenFiles); // logrotate's postrotate: kill -HUP
        // Any other JVM exit still stops cleanly; stop() is idempotent.
        Runtime.getRuntime().addShutdownHook(new Thread(daemon::stop, "dbwire-shutdown"));
        try {
            stopRequested.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        daemon.stop();
        return ExitCodes.OK;
    }
}
