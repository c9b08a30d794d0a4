package io.dbwire.core.protocol.mysql;

import io.dbwire.core.memory.MemoryAccount;
import io.dbwire.core.protocol.session.CatalogMap;
import io.dbwire.core.record.StatementInfo;
import io.dbwire.core.util.ReasonCounters;

/**
 * Prepared statements of one connection by server-assigned id, bounded (least recently used evicted, counted) and
 * drawing from the connection's memory account ({@link CatalogMap}).
 */
final class StatementCatalog {
    static final int MAX_STATEMENTS = 256;

    private final ReasonCounters<MySqlEvent> counters;
    private final CatalogMap<Long, StatementInfo> byId = new CatalogMap<>(MAX_STATEMENTS, true,
            (id, info) -> CatalogMap.textBytes(info), this::evicted);
    /** The last statement a PREPARE was sent for (MariaDB's execute of id 0xFFFFFFFF means this one). */
    private StatementInfo lastPrepared;

    StatementCatalog(ReasonCounters<MySqlEvent> counters) {
        this.counters = counters;
    }

    void preparing(StatementInfo info) {
        lastPrepared = info;
    }

    void put(long id, StatementInfo info) {
        byId.put(id, info);
    }

    /** The statement for an id, or null when its PREPARE was not seen. */
    StatementInfo get(long id) {
        if (id == MySqlWire.LAST_PREPARED_ID) {
            return lastPrepared;
        }
        return byId.get(id);
    }

    void remove(long id) {
        byId.remove(id);
    }

    void clear() {
        byId.clear();
    }

    void chargeTo(MemoryAccount account) {
        byId.chargeTo(account);
    }

    private void evicted() {
        counters.increment(MySqlEvent.PREPARED_STATEMENTS_EVICTED);
    }
}
