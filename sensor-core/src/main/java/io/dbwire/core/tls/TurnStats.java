package io.dbwire.core.tls;

import java.util.List;

/**
 * Aggregate turn statistics of one session plus the last few turns, bounded whatever the session length.
 *
 * @param turns                number of turns (a client burst, answered or not)
 * @param unansweredServerBursts server bursts with no client burst before them (session tickets, notices)
 * @param maxLatencyMicros     largest {@link Turn#latencyMicros()}, or -1 if no turn was answered
 * @param lastTurns            the most recent turns, oldest first
 */
public record TurnStats(
        long turns,
        long requestBytes,
        long responseBytes,
        long maxRequestBytes,
        long maxResponseBytes,
        long sumLatencyMicros,
        long maxLatencyMicros,
        long unansweredServerBursts,
        List<Turn> lastTurns) {}
