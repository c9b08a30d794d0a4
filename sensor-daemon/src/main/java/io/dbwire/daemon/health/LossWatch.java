package io.dbwire.daemon.health;

import io.dbwire.core.detect.alert.Alert;

/**
 * The sensor's own loss over each check window: what it dropped (queue full, socket errors, libpcap drops) and
 * the TCP gaps it had to declare, against what came in. Above {@code maxRatio} (with at least {@code minVolume}
 * inputs in the window, so a trickle cannot trip it) it raises {@code capture_loss} once, and re-arms when a
 * window is back under the bound.
 */
public final class LossWatch {
    /**
     * Running totals at one instant.
     *
     * @param received datagrams received plus packets captured plus TCP segments
     * @param lost     drops before the engine plus TCP gaps declared
     */
    public record Totals(long received, long lost) {}

    private final double maxRatio;
    private final long minVolume;
    private Totals previous;
    private long previousMicros;
    private volatile boolean over;
    private volatile double lastRatio;

    public LossWatch(double maxRatio, long minVolume) {
        this.maxRatio = maxRatio;
        this.minVolume = minVolume;
    }

    /** Compares with the previous call; returns an alert when the ratio first passes the bound, else null. */
    public Alert check(Totals now, long nowMicros) {
        Totals before = previous;
        long since = previousMicros;
        previous = now;
        previousMicros = nowMicros;
        if (before == null) {
            return null;
        }
        long received = now.received() - before.received();
        long lost = now.lost() - before.lost();
        if (received + lost < minVolume) {
            return null; // too little to judge: keep the previous verdict
        }
        double ratio = (double) lost / (received + lost);
        lastRatio = ratio;
        boolean wasOver = over;
        over = ratio > maxRatio;
        return over && !wasOver ? CoverageAlerts.loss(ratio, maxRatio, lost, received, since, nowMicros) : null;
    }

    /** Whether the last judged window was over the bound. */
    public boolean over() {
        return over;
    }

    public double lastRatio() {
        return lastRatio;
    }

    public double maxRatio() {
        return maxRatio;
    }
}
