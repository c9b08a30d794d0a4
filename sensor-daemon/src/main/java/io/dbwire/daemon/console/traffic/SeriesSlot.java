package io.dbwire.daemon.console.traffic;

/** What one period (a minute, a quarter hour) of one server or source held. Reused in place by its ring. */
final class SeriesSlot {
    long period = Long.MIN_VALUE;
    long statements;
    long errors;
    long bytesIn;
    long bytesOut;
    final LatencyHistogram latency = new LatencyHistogram(1);

    void reset(long newPeriod) {
        period = newPeriod;
        statements = 0;
        errors = 0;
        bytesIn = 0;
        bytesOut = 0;
        latency.clear();
    }
}
