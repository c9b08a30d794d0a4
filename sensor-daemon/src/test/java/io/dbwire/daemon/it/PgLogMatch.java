package io.dbwire.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.config.ProtocolConfig;
import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.config.StatementMode;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.TransactionRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Statement-for-statement comparison of one client connection's records with what PostgreSQL logged for it
 * (log_statement=all, log_min_duration_statement=0): same texts in the same order, same errors, durations
 * within reason. Shared by the Pg* integration tests.
 */
final class PgLogMatch {
    /** Text of a placeholder statement (prepared before the capture began) in the compared lists. */
    static final String UNKNOWN = "<unknown>";

    private PgLogMatch() {}

    /** Full statement text in records, so that it can be compared with the log's. */
    static SensorConfig fullTextConfig(int port) {
        SensorConfig d = SensorConfig.defaults();
        ProtocolConfig p = d.protocols();
        return new SensorConfig(d.decap(), d.tcp(),
                new ProtocolConfig(Set.of(port), p.mysqlPorts(), StatementMode.FULL, 1 << 20, p.maxMessageBytes()),
                d.detection());
    }

    static List<TransactionRecord> statements(List<TransactionRecord> all, int clientPort) {
        return all.stream().filter(r -> r.kind() == RecordKind.STATEMENT && r.client().port() == clientPort)
                .collect(Collectors.toList());
    }

    static String clean(String text) {
        if (text == null) {
            return UNKNOWN;
        }
        // The server names a fastpath function; the wire carries only its OID, which is what the record says.
        return text.trim().replaceAll(";$", "").trim()
                .replaceAll("^fastpath function call: \"[^\"]*\" \\(OID (\\d+)\\)$", "fastpath function call (OID $1)");
    }

    /** The statements a logged entry stands for: a simple Query string is split as PostgreSQL runs it. */
    static List<ServerLog.Statement> expected(ServerLog.Connection c) {
        List<ServerLog.Statement> expected = new ArrayList<>();
        for (ServerLog.Statement logged : c.statements) {
            if (logged.extended || logged.text.contains("$$")) { // a DO body's ';' does not end the statement
                expected.add(logged);
                continue;
            }
            for (String part : logged.text.split(";")) { // none of the tests' strings quote a ';'
                if (!part.isBlank()) {
                    expected.add(new ServerLog.Statement(part.trim(), false));
                }
            }
        }
        return expected;
    }

    /**
     * Asserts that the records of a connection are the logged statements, in order, with the logged errors, and
     * returns how many were compared. A simple Query string that failed part-way ends the records early.
     */
    static int assertSameStatements(String what, ServerLog.Connection c, List<TransactionRecord> records) {
        List<String> got = records.stream().map(r -> clean(r.statement().text())).collect(Collectors.toList());
        List<String> want = expected(c).stream().map(s -> clean(s.text)).collect(Collectors.toList());
        boolean failedMulti = c.statements.stream().anyMatch(s -> !s.extended && s.errorCode != null
                && expected(singleton(s)).size() > 1);
        int common = Math.min(got.size(), want.size());
        for (int i = 0; i < common; i++) {
            if (!got.get(i).equals(want.get(i))) {
                throw new AssertionError(String.format("%s: statement %d of %d logged / %d recorded differs:%n"
                        + "  logged   %s%n  recorded %s%n  logged around it   %s%n  recorded around it %s",
                        what, i, want.size(), got.size(), want.get(i), got.get(i),
                        want.subList(Math.max(0, i - 3), Math.min(want.size(), i + 3)),
                        got.subList(Math.max(0, i - 3), Math.min(got.size(), i + 3))));
            }
        }
        if (failedMulti) {
            assertThat(got.size()).as(what).isLessThanOrEqualTo(want.size());
        } else {
            assertThat(got.size()).as("%s: records vs logged, tail logged %s recorded %s", what,
                    want.subList(common, Math.min(want.size(), common + 5)),
                    got.subList(common, Math.min(got.size(), common + 5))).isEqualTo(want.size());
        }
        List<String> gotErrors = records.stream().filter(r -> r.status() == RecordStatus.ERROR)
                .map(r -> r.error().code()).collect(Collectors.toList());
        List<String> wantErrors = c.statements.stream().filter(s -> s.errorCode != null).map(s -> s.errorCode)
                .collect(Collectors.toList());
        assertThat(gotErrors).as("%s: errors", what).isEqualTo(wantErrors);
        assertThat(records).as("%s: nothing incomplete", what)
                .noneMatch(r -> r.status() == RecordStatus.INCOMPLETE);
        return records.size();
    }

    /**
     * The wire duration (request's first byte to response's last byte) is never much shorter than the server's
     * own time and not far above it on loopback. A large result can leave the server well before the client
     * has read it (the server's time ends when the last byte is in its socket buffer; the wire sees it when the
     * client's window lets it through), hence an upper bound relative to the server's time. On a loaded
     * machine the server can also be descheduled between its timer and its send, so the upper bound must hold
     * for most statements, not all; the lower bound (a record can never be much shorter than the server's own
     * time, which would mean it was paired with the wrong answer) holds for every one.
     * Returns the number of pairs compared (one-to-one lists only).
     */
    static int assertDurations(String what, ServerLog.Connection c, List<TransactionRecord> records) {
        if (records.size() != c.statements.size()) {
            return 0; // multi-statement strings: one logged duration for several records
        }
        int compared = 0;
        List<String> slow = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            Double ms = c.statements.get(i).durationMs;
            TransactionRecord r = records.get(i);
            Long us = r.response() == null ? null : r.response().durationUs();
            if (ms == null || us == null) {
                continue;
            }
            assertThat(us).as("%s: %s", what, c.statements.get(i)).isGreaterThanOrEqualTo((long) (ms * 1000 * 0.5) - 2_000);
            if (us > (long) (ms * 1000 * 2) + 300_000) {
                slow.add(c.statements.get(i) + " server " + ms + " ms, wire " + us + " us");
            }
            compared++;
        }
        assertThat(slow.size()).as("%s: durations far above the server's: %s", what, slow)
                .isLessThanOrEqualTo(Math.max(1, compared / 20));
        return compared;
    }

    /** Record duration minus the server's logged duration, in microseconds, for one-to-one lists. */
    static List<Long> durationExcessUs(ServerLog.Connection c, List<TransactionRecord> records) {
        List<Long> out = new ArrayList<>();
        if (records.size() != c.statements.size()) {
            return out;
        }
        for (int i = 0; i < records.size(); i++) {
            Double ms = c.statements.get(i).durationMs;
            TransactionRecord r = records.get(i);
            if (ms != null && r.response() != null && r.response().durationUs() != null) {
                out.add(r.response().durationUs() - Math.round(ms * 1000));
            }
        }
        return out;
    }

    /** "p50=… p90=… p99=… max=…" of a list of microsecond values. */
    static String percentiles(List<Long> values) {
        if (values.isEmpty()) {
            return "n=0";
        }
        List<Long> sorted = values.stream().sorted().collect(Collectors.toList());
        java.util.function.IntFunction<Long> at = p -> sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100));
        return String.format("n=%d p1=%d p50=%d p90=%d p99=%d max=%d us", sorted.size(), at.apply(1), at.apply(50),
                at.apply(90), at.apply(99), sorted.get(sorted.size() - 1));
    }

    private static ServerLog.Connection singleton(ServerLog.Statement s) {
        ServerLog.Connection c = new ServerLog.Connection();
        c.statements.add(s);
        return c;
    }
}
