package io.dbwire.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.protocol.sql.SqlNormalizer;
import io.dbwire.core.record.RecordJson;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.TransactionRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The records of one MySQL/MariaDB connection walked side by side with the general log's commands: one LOGIN per
 * Connect, one STATEMENT per statement of a Query (a batch stops at its first error, as the server does), per
 * Prepare, Execute, Close stmt…, none left over and none incomplete. PING and refused PREPAREs are real commands
 * that the general log leaves out.
 */
final class MySqlLogMatch {
    /** Commands the server answers but does not write to the general log. */
    static final Set<String> NOT_LOGGED = Set.of("PING");
    private static final SqlNormalizer SQL = SqlNormalizer.mysql();

    private MySqlLogMatch() {}

    /** Records grouped per connection, connections in the order they started. */
    static List<List<TransactionRecord>> connections(List<TransactionRecord> records) {
        Map<Long, List<TransactionRecord>> byId = new LinkedHashMap<>();
        records.stream().sorted(Comparator.comparingLong(TransactionRecord::tsMicros))
                .forEach(r -> byId.computeIfAbsent(r.connectionId(), k -> new ArrayList<>()).add(r));
        return byId.values().stream().sorted(Comparator.comparingLong(l -> l.get(0).tsMicros()))
                .collect(Collectors.toList());
    }

    /** Asserts one connection matches its log; returns the number of log commands. */
    static long compare(MariaDbGeneralLog.Connection c, List<TransactionRecord> records) {
        List<TransactionRecord> rs = records.stream()
                .filter(r -> r.statement() == null || !NOT_LOGGED.contains(r.statement().operation()))
                .filter(r -> !rejectedPrepare(r))
                .collect(Collectors.toList());
        int at = 0;
        String where = "thread " + c.threadId;
        for (MariaDbGeneralLog.Command cmd : c.commands) {
            assertThat(at).as("%s: no record left for %s %s", where, cmd.name(), cut(cmd.argument()))
                    .isLessThan(rs.size());
            TransactionRecord r = rs.get(at);
            String what = where + " " + cmd.name() + " " + cut(cmd.argument()) + " vs " + RecordJson.toJson(r);
            switch (cmd.name()) {
                case "Connect" -> {
                    assertThat(r.kind()).as(what).isEqualTo(RecordKind.LOGIN);
                    assertThat(r.status()).as(what).isEqualTo(c.denied ? RecordStatus.ERROR : RecordStatus.OK);
                    at++;
                }
                case "Query" -> {
                    List<String> parts = SQL.split(cmd.argument());
                    for (String part : parts) {
                        assertThat(at).as("%s: no record left for %s", where, cut(part)).isLessThan(rs.size());
                        TransactionRecord s = rs.get(at++);
                        fingerprint(part, s, where + " Query " + cut(part) + " vs " + RecordJson.toJson(s));
                        if (s.status() == RecordStatus.ERROR) {
                            break; // the server runs nothing after an error in a batch
                        }
                    }
                }
                case "Prepare" -> {
                    assertThat(r.statement().operation()).as(what).isEqualTo("PREPARE");
                    fingerprint(cmd.argument(), r, what);
                    at++;
                }
                case "Execute" -> {
                    fingerprint(cmd.argument(), r, what);
                    at++;
                }
                default -> {
                    assertThat(r.statement().operation()).as(what).isEqualTo(operationOf(cmd.name()));
                    at++;
                }
            }
            assertThat(r.status()).as(what).isNotEqualTo(RecordStatus.INCOMPLETE);
        }
        assertThat(at).as("%s: records beyond the log: %s", where, rs.subList(Math.min(at, rs.size()), rs.size()))
                .isEqualTo(rs.size());
        return c.commands.size();
    }

    /** MariaDB writes a Prepare to the general log only once the statement parsed: a refused one is not there. */
    static boolean rejectedPrepare(TransactionRecord r) {
        return r.statement() != null && "PREPARE".equals(r.statement().operation())
                && r.status() == RecordStatus.ERROR;
    }

    private static String operationOf(String logCommand) {
        return switch (logCommand) {
            case "Quit" -> "QUIT";
            case "Init DB" -> "INIT_DB";
            case "Close stmt" -> "CLOSE_STMT";
            case "Reset stmt" -> "RESET_STMT";
            case "Long Data" -> "SEND_LONG_DATA";
            case "Field List" -> "FIELD_LIST";
            case "Statistics" -> "STATISTICS";
            case "Fetch" -> "FETCH";
            case "Change user" -> "CHANGE_USER";
            default -> logCommand;
        };
    }

    private static void fingerprint(String sql, TransactionRecord r, String what) {
        assertThat(r.kind()).as(what).isEqualTo(RecordKind.STATEMENT);
        assertThat(r.statement().fingerprint()).as(what).isEqualTo(SQL.normalize(sql).fingerprint());
    }

    static String cut(String s) {
        return s == null || s.length() < 160 ? s : s.substring(0, 160) + "…";
    }
}
