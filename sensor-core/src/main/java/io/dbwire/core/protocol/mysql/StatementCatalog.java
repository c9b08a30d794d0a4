package io.dbwire.core.protocol.mysql;

import io.dbwire.core.record.StatementInfo;
import io.dbwire.core.util.ReasonCounters;
import java.util.LinkedHashMap;
import java.util.Map;

/** Prepared statements of one connection by server-assigned id, bounded (least recently used evicted, counted). */
final class StatementCatalog {
    static final int MAX_STATEMENTS = 256;

    private final ReasonCounters<MySqlEvent> counters;
    private final Map<Long, StatementInfo> byId = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, StatementInfo> eldest) {
            if (size() > MAX_STATEMENTS) {
                counters.increment(MySqlEvent.PREPARED_STATEMENTS_EVICTED);
                return true;
            }
            return false;
        }
    };
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
}
