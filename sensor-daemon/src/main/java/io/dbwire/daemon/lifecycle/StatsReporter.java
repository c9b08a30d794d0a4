package io.dbwire.daemon.lifecycle;

import io.dbwire.core.pipeline.SensorStats;
import io.dbwire.daemon.metrics.MetricsSource;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs one stats line per interval to the daemon's own log. */
final class StatsReporter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("dbwire.stats");

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dbwire-stats");
        t.setDaemon(true);
        return t;
    });

    StatsReporter(MetricsSource source, Duration interval) {
        long ms = interval.toMillis();
        timer.scheduleAtFixedRate(() -> LOG.info(line(source)), ms, ms, TimeUnit.MILLISECONDS);
    }

    static String line(MetricsSource source) {
        SensorStats s = source.sensorStats();
        return "stats: datagrams=" + source.counters().datagrams()
                + " queue_full=" + source.counters().queueFullDrops()
                + " queue_depth=" + source.queueDepth()
                + " packets=" + s.packets() + " bytes=" + s.bytes() + " flows=" + s.flows()
                + " records=" + s.records() + " alerts=" + s.alerts()
                + " problems=" + new java.util.TreeMap<>(s.problems());
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
