package io.dbwire.core.config;

import java.util.Set;

/**
 * @param postgresPorts     server ports parsed as PostgreSQL
 * @param mysqlPorts        server ports parsed as MySQL/MariaDB
 * @param statementMode     how statement text appears in records
 * @param maxStatementBytes statement text kept per record; longer text is cut (and the cut counted)
 * @param maxMessageBytes   largest protocol message a parser accepts; larger length fields are violations
 */
public record ProtocolConfig(
        Set<Integer> postgresPorts,
        Set<Integer> mysqlPorts,
        StatementMode statementMode,
        int maxStatementBytes,
        int maxMessageBytes) {
    public ProtocolConfig {
        postgresPorts = Set.copyOf(postgresPorts);
        mysqlPorts = Set.copyOf(mysqlPorts);
    }

    public static ProtocolConfig defaults() {
        return new ProtocolConfig(Set.of(5432), Set.of(3306), StatementMode.NORMALIZED, 16_384, 64 << 20);
    }
}
