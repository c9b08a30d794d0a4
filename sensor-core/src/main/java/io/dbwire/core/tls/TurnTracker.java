package io.dbwire.core.tls;

import io.dbwire.core.tcp.Direction;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts the application-data records of one connection into turns: a turn opens with the first client record
 * after server data (or at the start), takes every server record that follows, and closes when the client
 * speaks again or the connection ends. Keeps running totals and a ring of the last {@code keep} turns.
 */
final class TurnTracker {
    private final Turn[] ring;
    private int ringNext;
    private int ringSize;

    private long turns;
    private long requestBytesTotal;
    private long responseBytesTotal;
    private long maxRequest;
    private long maxResponse;
    private long sumLatency;
    private long maxLatency = -1;
    private long unanswered;

    private boolean open;
    private boolean serverSpoke;
    private boolean serverBurstWithoutRequest;
    private long reqStart;
    private long reqEnd;
    private long reqBytes;
    private int reqRecords;
    private long respStart = -1;
    private long respEnd = -1;
    private long respBytes;
    private int respRecords;

    TurnTracker(int keep) {
        this.ring = new Turn[Math.max(1, keep)];
    }

    void onApplicationRecord(Direction direction, int bytes, long tsMicros) {
        if (direction == Direction.CLIENT_TO_SERVER) {
            serverBurstWithoutRequest = false;
            if (open && serverSpoke) {
                close();
            }
            if (!open) {
                open = true;
                reqStart = tsMicros;
            }
            reqEnd = tsMicros;
            reqBytes += bytes;
            reqRecords++;
            return;
        }
        if (!open) {
            if (!serverBurstWithoutRequest) {
                serverBurstWithoutRequest = true;
                unanswered++;
            }
            return;
        }
        if (!serverSpoke) {
            serverSpoke = true;
            respStart = tsMicros;
        }
        respEnd = tsMicros;
        respBytes += bytes;
        respRecords++;
    }

    /** Closes the turn in progress; call at connection end. */
    void finish() {
        if (open) {
            close();
        }
    }

    private void close() {
        Turn t = new Turn(reqStart, reqEnd, reqBytes, reqRecords, respStart, respEnd, respBytes, respRecords);
        turns++;
        requestBytesTotal += reqBytes;
        responseBytesTotal += respBytes;
        maxRequest = Math.max(maxRequest, reqBytes);
        maxResponse = Math.max(maxResponse, respBytes);
        if (t.latencyMicros() >= 0) {
            sumLatency += t.latencyMicros();
            maxLatency = Math.max(maxLatency, t.latencyMicros());
        }
        ring[ringNext] = t;
        ringNext = (ringNext + 1) % ring.length;
        ringSize = Math.min(ringSize + 1, ring.length);
        open = false;
        serverSpoke = false;
        reqBytes = 0;
        reqRecords = 0;
        respStart = -1;
        respEnd = -1;
        respBytes = 0;
        respRecords = 0;
    }

    TurnStats stats() {
        List<Turn> last = new ArrayList<>(ringSize);
        for (int i = 0; i < ringSize; i++) {
            last.add(ring[(ringNext - ringSize + i + ring.length) % ring.length]);
        }
        return new TurnStats(turns, requestBytesTotal, responseBytesTotal, maxRequest, maxResponse, sumLatency,
                maxLatency, unanswered, List.copyOf(last));
    }
}
