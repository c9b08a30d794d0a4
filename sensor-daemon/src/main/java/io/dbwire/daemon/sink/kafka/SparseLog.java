package io.dbwire.daemon.sink.kafka;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/** Logs the first few occurrences of a failure with its stack trace, then every 1000th: counted, never silent. */
final class SparseLog {
    private static final int FIRST = 5;
    private static final int EVERY = 1000;

    private final Logger log;
    private final AtomicLong seen = new AtomicLong();

    SparseLog(Logger log) {
        this.log = log;
    }

    void warn(String what, Throwable cause) {
        long n = seen.incrementAndGet();
        if (n <= FIRST) {
            log.warn("{} (occurrence {})", what, n, cause);
        } else if (n % EVERY == 0) {
            log.warn("{} (occurrence {}): {}", what, n, cause.toString());
        }
    }
}
