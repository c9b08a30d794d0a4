package io.dbwire.daemon.lifecycle;

import io.dbwire.core.decap.LinkType;
import io.dbwire.daemon.source.FrameConsumer;

/**
 * Packet times a capture file cannot mean: before 1970, after 2100, or more than {@link #MAX_BACKWARDS_MICROS}
 * before the latest good time (a clock step, or a corrupt record). Such a packet is still processed, at the latest
 * good time, so that it neither vanishes nor drags detection windows and idle timeouts far back or forward; each is
 * counted as {@code source.timestamp_out_of_range} or {@code source.timestamp_backwards} in the replay's problems.
 * Before any good time is known an out-of-range packet is dropped (it has no time to borrow), counted the same.
 */
final class TimestampGuard implements FrameConsumer {
    static final long MIN_MICROS = 0L;
    /** 2100-01-01T00:00:00Z. */
    static final long MAX_MICROS = 4_102_444_800_000_000L;
    /** Mirrored copies and merged captures reorder by far less than this. */
    static final long MAX_BACKWARDS_MICROS = 60_000_000L;

    private final FrameConsumer next;
    private long latest = Long.MIN_VALUE;
    private long outOfRange;
    private long backwards;

    TimestampGuard(FrameConsumer next) {
        this.next = next;
    }

    @Override
    public void onFrame(byte[] frame, int offset, int length, LinkType linkType, long tsMicros) {
        long ts = tsMicros;
        if (ts < MIN_MICROS || ts > MAX_MICROS) {
            outOfRange++;
            if (latest == Long.MIN_VALUE) {
                return;
            }
            ts = latest;
        } else if (latest != Long.MIN_VALUE && ts < latest - MAX_BACKWARDS_MICROS) {
            backwards++;
            ts = latest;
        } else if (ts > latest) {
            latest = ts;
        }
        next.onFrame(frame, offset, length, linkType, ts);
    }

    long outOfRange() {
        return outOfRange;
    }

    long backwards() {
        return backwards;
    }
}
