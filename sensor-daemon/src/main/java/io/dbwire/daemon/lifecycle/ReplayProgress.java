package io.dbwire.daemon.lifecycle;

import io.dbwire.core.pipeline.SensorStats;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One progress line on stderr, rewritten in place about once a second: percent of the input, packets/s, records,
 * alerts. For terminals only (a log file would fill with carriage returns) and only once a replay has run for
 * {@link #QUIET_NANOS}, so short replays print nothing but their summary.
 *
 * <p>The percentage counts frame bytes plus a 16-byte pcap record header per frame against the files' sizes: exact
 * for pcap, an estimate for pcapng (its blocks carry more per packet), never above 99 before the end.
 */
public final class ReplayProgress {
    static final long QUIET_NANOS = 2_000_000_000L;
    private static final long PERIOD_NANOS = 1_000_000_000L;
    private static final int PCAP_RECORD_HEADER_BYTES = 16;
    /** Frames between clock reads: the clock is cheap, but not free at millions of packets per second. */
    private static final int CHECK_EVERY = 1_024;

    private final PrintStream err;
    private final long totalBytes;
    private final LongSupplier nanoClock;
    private final long startNanos;
    private long nextNanos;
    private long bytes;
    private long frames;
    private long framesAtLast;
    private long nanosAtLast;
    private boolean shown;

    /** @param totalBytes sum of the input files' sizes; 0 when unknown (a pipe): the percentage is left out */
    public ReplayProgress(PrintStream err, long totalBytes, LongSupplier nanoClock) {
        this.err = err;
        this.totalBytes = totalBytes;
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
        this.nextNanos = startNanos + QUIET_NANOS;
        this.nanosAtLast = startNanos;
    }

    /** Counts one frame; prints when a period has passed. {@code stats} is asked only when printing. */
    public void onFrame(int length, Supplier<SensorStats> stats) {
        bytes += length + PCAP_RECORD_HEADER_BYTES;
        if (++frames % CHECK_EVERY != 0) {
            return;
        }
        long now = nanoClock.getAsLong();
        if (now >= nextNanos) {
            print(now, stats.get());
            nextNanos = now + PERIOD_NANOS;
        }
    }

    private void print(long now, SensorStats s) {
        String percent = totalBytes > 0 ? Math.min(99, bytes * 100 / totalBytes) + "% " : "";
        double seconds = (now - nanosAtLast) / 1e9;
        long rate = seconds > 0 ? Math.round((frames - framesAtLast) / seconds) : 0;
        framesAtLast = frames;
        nanosAtLast = now;
        err.print(String.format(Locale.ROOT, "\r\033[Kdbwire replay: %spackets/s=%d records=%d alerts=%d",
                percent, rate, s.records(), s.alerts()));
        err.flush();
        shown = true;
    }

    /** Clears the progress line, if one was shown, so the summary starts on a clean line. */
    public void done() {
        if (shown) {
            err.print("\r\033[K");
            err.flush();
            shown = false;
        }
    }
}
