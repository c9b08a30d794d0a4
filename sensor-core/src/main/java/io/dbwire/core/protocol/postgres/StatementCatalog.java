package io.dbwire.core.protocol.postgres;

import io.dbwire.core.record.StatementInfo;
import io.dbwire.core.util.ReasonCounters;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-connection prepared statements (name -> statement from Parse) and portals (name -> statement from Bind),
 * both bounded: the oldest entry is dropped and counted. The statement is stored already described (normalised
 * and cut), so reuse costs nothing and memory is bounded by {@code maxStatementBytes} per entry. The unnamed
 * statement and portal are the entries with the empty name.
 */
final class StatementCatalog {
    static final int MAX_ENTRIES = 256;

    private final Map<String, StatementInfo> statements = bounded(true);
    private final Map<String, StatementInfo> portals = bounded(true);
    /** Raw text of named statements, kept only when bind parameters are captured (bounded by the caller's cut). */
    private final Map<String, String> sql = bounded(false); // evicted with its statement: counted once
    private final ReasonCounters<PgEvent> counters;

    StatementCatalog(ReasonCounters<PgEvent> counters) {
        this.counters = counters;
    }

    void putStatement(String name, StatementInfo info) {
        statements.put(name, info);
    }

    void putPortal(String name, StatementInfo info) {
        portals.put(name, info);
    }

    void putSql(String name, String text) {
        if (text == null) {
            sql.remove(name);
        } else {
            sql.put(name, text);
        }
    }

    String sql(String name) {
        return sql.get(name);
    }

    StatementInfo statement(String name) {
        return statements.get(name);
    }

    StatementInfo portal(String name) {
        return portals.get(name);
    }

    void removeStatement(String name) {
        statements.remove(name);
        sql.remove(name);
    }

    void removePortal(String name) {
        portals.remove(name);
    }

    private <V> Map<String, V> bounded(boolean counted) {
        return new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                if (size() > MAX_ENTRIES) {
                    if (counted) {
                        counters.increment(PgEvent.PREPARED_STATEMENTS_EVICTED);
                    }
                    return true;
                }
                return false;
            }
        };
    }
}
