package io.dbwire.core.protocol.mysql;

import io.dbwire.core.memory.MemoryAccount;
import io.dbwire.core.protocol.session.CatalogMap;
import io.dbwire.core.record.StatementInfo;
import io.dbwire.core.util.ReasonCounters;
import io.dbwire.core.util.SmallLongs;

/**
 * Prepared statements of one connection by server-assigned id, bounded (least recently used evicted, counted) and
 * drawing from the connection's memory account ({@link CatalogMap}).
 *
 * <p>It also knows when an unknown id can only be one statement. Statement ids belong to the connection and the
 * server hands them out only in COM_STMT_PREPARE answers. While every id handed out is accounted for — the
 * connection was seen from its start, no entry was evicted, and every PREPARE was seen: where client bytes were
 * lost, the answers to what they held were all seen and none was a PREPARE_OK (MySqlCommandPhase) — an id the
 * catalog does not hold, that the server accepts, came from the answer of a PREPARE this connection sent whose
 * answer the mirror lost. When exactly one such PREPARE is pending, the id is
 * its statement: {@link #soleUnanswered()}. Anything else leaves the id unknown.
 */
final class StatementCatalog {
    static final int MAX_STATEMENTS = 256;

    private final ReasonCounters<MySqlEvent> counters;
    private final CatalogMap<Long, StatementInfo> byId = new CatalogMap<>(MAX_STATEMENTS, true,
            (id, info) -> CatalogMap.textBytes(info), this::evicted);
    /** The last statement a PREPARE was sent for (MariaDB's execute of id 0xFFFFFFFF means this one). */
    private StatementInfo lastPrepared;
    /** Every id the server handed out on this connection is in the map, was closed, or is {@link #unanswered}. */
    private boolean accountedFor = true;
    /** Seen PREPAREs whose answer was lost, and the statement of the last one. */
    private int unanswered;
    private StatementInfo unansweredStatement;

    StatementCatalog(ReasonCounters<MySqlEvent> counters) {
        this.counters = counters;
    }

    void preparing(StatementInfo info) {
        lastPrepared = info;
    }

    void put(long id, StatementInfo info) {
        byId.put(SmallLongs.valueOf(id), info);
    }

    /** The statement for an id, or null when its PREPARE was not seen. */
    StatementInfo get(long id) {
        if (id == MySqlWire.LAST_PREPARED_ID) {
            return lastPrepared;
        }
        return byId.get(SmallLongs.valueOf(id)); // no box per execution for ids up to 65535
    }

    void remove(long id) {
        byId.remove(SmallLongs.valueOf(id));
    }

    /** The server deallocated every statement (COM_RESET_CONNECTION, COM_CHANGE_USER). */
    void clear() {
        byId.clear();
        unanswered = 0;
        unansweredStatement = null;
    }

    /** A PREPARE may have gone unseen (mid-stream start, a hidden command's answer unseen or a PREPARE_OK). */
    void commandsMayBeUnseen() {
        accountedFor = false;
    }

    /** A PREPARE this connection sent lost its answer: its id is unknown (it may also have failed). */
    void answerLost(StatementInfo statement) {
        unanswered++;
        unansweredStatement = statement;
    }

    /** The statement an id missing from the catalog can only be, if the server accepts it; else null. */
    StatementInfo soleUnanswered() {
        return accountedFor && !byId.anyForgotten() && unanswered == 1 ? unansweredStatement : null;
    }

    /** The server accepted {@code id} while {@link #soleUnanswered()} was {@code statement}: it is that one. */
    void resolve(long id, StatementInfo statement) {
        if (statement != null && soleUnanswered() == statement && !byId.containsKey(SmallLongs.valueOf(id))) {
            byId.put(SmallLongs.valueOf(id), statement);
            counters.increment(MySqlEvent.PREPARED_ID_INFERRED);
            unanswered = 0;
            unansweredStatement = null;
        }
    }

    void chargeTo(MemoryAccount account) {
        byId.chargeTo(account);
    }

    private void evicted() {
        counters.increment(MySqlEvent.PREPARED_STATEMENTS_EVICTED);
    }
}
