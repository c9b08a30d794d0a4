package io.dbwire.core.config;

import java.util.Set;

/**
 * @param postgresPorts     server ports parsed as PostgreSQL
 * @param mysqlPorts        server ports parsed as MySQL/MariaDB
 * @param statementMode     how statement text appears in records
 * @param maxStatementBytes statement text kept per record; longer text is cut (and the cut counted)
 * @param maxMessageBytes   largest protocol message a parser accepts; larger length fields are violations
 * @param bindParameters    PostgreSQL extended protocol: put the text-format values of a Bind into the statement
 *                          text as literals, which {@code statementMode} then treats like any literal
 *                          (NORMALIZED: {@code ?}; FULL: the value; OFF: no text). Off by default.
 * @param detectOtherPorts  recognise PostgreSQL and MySQL by their first bytes on connections (seen from their SYN)
 *                          to ports not listed above, e.g. a PostgreSQL on 5433. On by default.
 * @param sensitiveData     the opt-in scan of result rows for card numbers, national ids and e-mail addresses
 *                          (config {@code detection.sensitive_data}); {@link SensitiveScanConfig#OFF} by default
 */
public record ProtocolConfig(
        Set<Integer> postgresPorts,
        Set<Integer> mysqlPorts,
        StatementMode statementMode,
        int maxStatementBytes,
        int maxMessageBytes,
        boolean bindParameters,
        boolean detectOtherPorts,
        SensitiveScanConfig sensitiveData) {
    public ProtocolConfig {
        postgresPorts = Set.copyOf(postgresPorts);
        mysqlPorts = Set.copyOf(mysqlPorts);
        sensitiveData = sensitiveData == null ? SensitiveScanConfig.OFF : sensitiveData;
    }

    /** Without the sensitive-data scan (the default). */
    public ProtocolConfig(Set<Integer> postgresPorts, Set<Integer> mysqlPorts, StatementMode statementMode,
            int maxStatementBytes, int maxMessageBytes, boolean bindParameters, boolean detectOtherPorts) {
        this(postgresPorts, mysqlPorts, statementMode, maxStatementBytes, maxMessageBytes, bindParameters,
                detectOtherPorts, SensitiveScanConfig.OFF);
    }

    /** This configuration with the sensitive-data scan set. */
    public ProtocolConfig withSensitiveData(SensitiveScanConfig scan) {
        return new ProtocolConfig(postgresPorts, mysqlPorts, statementMode, maxStatementBytes, maxMessageBytes,
                bindParameters, detectOtherPorts, scan);
    }

    /** Without bind parameters (the default). */
    public ProtocolConfig(Set<Integer> postgresPorts, Set<Integer> mysqlPorts, StatementMode statementMode,
            int maxStatementBytes, int maxMessageBytes) {
        this(postgresPorts, mysqlPorts, statementMode, maxStatementBytes, maxMessageBytes, false, true);
    }

    /** With detection on other ports (the default). */
    public ProtocolConfig(Set<Integer> postgresPorts, Set<Integer> mysqlPorts, StatementMode statementMode,
            int maxStatementBytes, int maxMessageBytes, boolean bindParameters) {
        this(postgresPorts, mysqlPorts, statementMode, maxStatementBytes, maxMessageBytes, bindParameters, true);
    }

    public static ProtocolConfig defaults() {
        return new ProtocolConfig(Set.of(5432), Set.of(3306), StatementMode.NORMALIZED, 16_384, 64 << 20, false, true);
    }

    /** This configuration with bind parameters captured or not. */
    public ProtocolConfig withBindParameters(boolean capture) {
        return new ProtocolConfig(postgresPorts, mysqlPorts, statementMode, maxStatementBytes, maxMessageBytes,
                capture, detectOtherPorts, sensitiveData);
    }
}
