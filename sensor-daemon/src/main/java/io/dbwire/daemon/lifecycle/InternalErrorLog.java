package io.dbwire.daemon.lifecycle;

import io.dbwire.core.util.InternalErrors;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the engine's caught bugs to the daemon's log: the first few stack traces per class of error, with the
 * connection (id and addresses, never payload), then a line now and then (the rate limit is in the core).
 */
public final class InternalErrorLog implements InternalErrors.Listener {
    private static final Logger LOG = LoggerFactory.getLogger("dbwire.internal");

    private InternalErrorLog() {}

    /** Wires the core's reports to SLF4J for this process. */
    public static void install() {
        InternalErrors.setListener(new InternalErrorLog());
    }

    @Override
    public void onInternalError(String layer, String connection, RuntimeException error, long occurrences,
            InternalErrors.Remedy remedy) {
        if (occurrences <= InternalErrors.FIRST_REPORTS) {
            LOG.error("internal error in {} (#{} of this kind), connection {} {}", layer, occurrences, connection,
                    remedy.name().toLowerCase(Locale.ROOT), error);
        } else {
            LOG.error("internal error in {} (#{} of this kind so far): {} at {}, connection {} {}", layer,
                    occurrences, error.getClass().getName(),
                    error.getStackTrace().length > 0 ? error.getStackTrace()[0] : "?", connection,
                    remedy.name().toLowerCase(Locale.ROOT));
        }
    }
}
