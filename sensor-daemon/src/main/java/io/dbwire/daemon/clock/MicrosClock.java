package io.dbwire.daemon.clock;

import java.time.Instant;

/** Wall-clock time in epoch microseconds: the daemon stamps packet time at receipt (the engine never reads a clock). */
@FunctionalInterface
public interface MicrosClock {
    MicrosClock SYSTEM = () -> {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000L;
    };

    long nowMicros();
}
