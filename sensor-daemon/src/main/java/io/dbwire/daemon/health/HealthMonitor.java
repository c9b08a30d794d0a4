package io.dbwire.daemon.health;

import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.detect.alert.AlertSink;
import io.dbwire.daemon.clock.MicrosClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wall-clock side of coverage in {@code run}: on a timer, so that silence is noticed when no packet arrives
 * at all, it raises {@code mirror_silence} and {@code capture_loss} alerts and decides what /health says.
 */
public final class HealthMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);

    private final List<SourceTable> sources;
    private final ServerTable servers;
    private final SilenceWatch silence;
    private final LossWatch loss;
    private final Supplier<LossWatch.Totals> totals;
    private final LongSupplier inputs;
    private final long maxSilenceMicros;
    private final MicrosClock clock;
    private final AlertSink alerts;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dbwire-health");
        t.setDaemon(true);
        return t;
    });
    private long lastInputs = -1;
    private long lastInputMicros;
    private volatile Health health = Health.STARTING;
    private volatile long alertsRaised;

    /**
     * @param inputs           datagrams and captured packets so far: while it stays the same nothing arrives
     * @param maxSilenceMicros /health turns degraded after this long without input (also right after start)
     */
    public HealthMonitor(List<SourceTable> sources, ServerTable servers, SilenceWatch silence, LossWatch loss,
            Supplier<LossWatch.Totals> totals, LongSupplier inputs, long maxSilenceMicros, MicrosClock clock,
            AlertSink alerts) {
        this.sources = List.copyOf(sources);
        this.servers = servers;
        this.silence = silence;
        this.loss = loss;
        this.totals = totals;
        this.inputs = inputs;
        this.maxSilenceMicros = maxSilenceMicros;
        this.clock = clock;
        this.alerts = alerts;
        this.lastInputMicros = clock.nowMicros();
    }

    public HealthMonitor start(long periodMillis) {
        timer.scheduleWithFixedDelay(this::checkSafely, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        return this;
    }

    private void checkSafely() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.error("health check failed", e); // the next period tries again
        }
    }

    /** One evaluation at the clock's now. Called by the timer; callable directly (tests). */
    public synchronized void check() {
        long now = clock.nowMicros();
        long in = inputs.getAsLong();
        if (in != lastInputs) {
            lastInputs = in;
            lastInputMicros = now;
        }
        for (Alert a : silence.check(activities(), now)) {
            raise(a);
        }
        Alert lossAlert = loss.check(totals.get(), now);
        if (lossAlert != null) {
            raise(lossAlert);
        }
        List<String> reasons = new ArrayList<>();
        if (now - lastInputMicros > maxSilenceMicros) {
            reasons.add(String.format(java.util.Locale.ROOT,
                    "no mirrored or captured packet for %d s (health.max_silence %d s)",
                    (now - lastInputMicros) / 1_000_000, maxSilenceMicros / 1_000_000));
        }
        if (loss.over()) {
            reasons.add(String.format(java.util.Locale.ROOT, "loss %.2f%% over health.max_loss_ratio %.2f%%",
                    loss.lastRatio() * 100, loss.maxRatio() * 100));
        }
        health = new Health(reasons.isEmpty(), reasons);
    }

    private void raise(Alert a) {
        alerts.accept(a);
        alertsRaised++;
        LOG.warn("{}: {}", a.detection(), a.summary());
    }

    public Health health() {
        return health;
    }

    /** Alerts raised here (they are not in the engine's count). */
    public long alertsRaised() {
        return alertsRaised;
    }

    /** Every tracked source and server now. */
    public List<Activity> activities() {
        List<Activity> all = new ArrayList<>();
        for (SourceTable t : sources) {
            all.addAll(t.snapshot());
        }
        all.addAll(servers.snapshot());
        return all;
    }

    public boolean silent(Activity a) {
        return silence.silent(a, clock.nowMicros());
    }

    public long nowMicros() {
        return clock.nowMicros();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
