package io.dbwire.core.protocol.postgres;

import io.dbwire.core.memory.MemoryAccount;
import io.dbwire.core.protocol.session.CatalogMap;
import io.dbwire.core.record.StatementInfo;
import io.dbwire.core.util.ReasonCounters;

/**
 * Per-connection prepared statements (name -> statement from Parse) and portals (name -> statement from Bind),
 * both bounded: the oldest entry is dropped and counted. The statement is stored already described (normalised
 * and cut), so reuse costs nothing and memory is bounded by {@code maxStatementBytes} per entry, and all entries
 * draw from the connection's memory account ({@link CatalogMap}). The unnamed
 * statement and portal are the entries with the empty name.
 */
final class StatementCatalog {
    static final int MAX_ENTRIES = 256;

    private final CatalogMap<String, StatementInfo> statements = new CatalogMap<>(MAX_ENTRIES, false,
            (name, info) -> name.length() + CatalogMap.textBytes(info), this::evicted);
    /** A portal shares its statement's description: only its name is its own. */
    private final CatalogMap<String, StatementInfo> portals = new CatalogMap<>(MAX_ENTRIES, false,
            (name, info) -> name.length(), this::evicted);
    /** Raw text of named statements, kept only when bind parameters are captured (bounded by the caller's cut). */
    private final CatalogMap<String, String> sql = new CatalogMap<>(MAX_ENTRIES, false,
            (name, text) -> name.length() + text.length(), () -> { }); // evicted with its statement: counted once
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

    void chargeTo(MemoryAccount account) {
        statements.chargeTo(account);
        portals.chargeTo(account);
        sql.chargeTo(account);
    }

    private void evicted() {
        counters.increment(PgEvent.PREPARED_STATEMENTS_EVICTED);
    }
}
