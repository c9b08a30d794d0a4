package io.dbwire.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.daemon.lifecycle.Replay;
import io.dbwire.daemon.lifecycle.ReplaySummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Shared by the TLS capture tests: runs {@code it/tls_client.py} (Python's ssl writes the NSS key log that libpq
 * 15 and the MariaDB client cannot), replays with and without keys, and compares records of a decrypted session
 * with those of the same workload in clear.
 */
final class TlsSessions {
    private TlsSessions() {}

    static boolean pythonAvailable() {
        try {
            return ExternalProcess.run(List.of("python3", "-c", "import ssl; ssl.SSLContext.keylog_filename"),
                    Map.of(), null, 30).exitCode() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    /** Runs the Python client; {@code keylog} null and {@code version} "none" for the clear-text session. */
    static void python(Path work, String kind, int port, String user, String password, String database,
            Path keylog, String version, List<String> queries) throws Exception {
        Path script = work.resolve("tls_client.py");
        if (!Files.exists(script)) {
            try (var in = TlsSessions.class.getResourceAsStream("/it/tls_client.py")) {
                Files.write(script, in.readAllBytes());
            }
        }
        List<String> cmd = new ArrayList<>(List.of("python3", script.toString(), kind, "127.0.0.1",
                Integer.toString(port), user, password, database, keylog == null ? "-" : keylog.toString(), version));
        cmd.addAll(queries);
        ExternalProcess.Result r = ExternalProcess.run(cmd, Map.of(), null, 120);
        assertThat(r.exitCode()).as("tls_client.py %s %s: %s", kind, version, r.output()).isZero();
    }

    record Result(List<TransactionRecord> records, List<Alert> alerts, ReplaySummary summary) {
        List<TransactionRecord> tls() {
            return records.stream().filter(r -> r.kind() == RecordKind.TLS).collect(Collectors.toList());
        }

        List<TransactionRecord> of(int clientPort) {
            return records.stream().filter(r -> r.client().port() == clientPort && r.kind() != RecordKind.TLS)
                    .collect(Collectors.toList());
        }
    }

    static Result replay(Path capture, SensorConfig config, List<Path> keylogs) throws Exception {
        List<TransactionRecord> records = new ArrayList<>();
        List<Alert> alerts = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (Path k : keylogs) {
            texts.add(Files.readString(k));
        }
        ReplaySummary summary = Replay.run(config, List.of(capture), records::add, alerts::add,
                keylogs.isEmpty() ? null : Replay.keyStore(1_000, texts));
        return new Result(records, alerts, summary);
    }

    /**
     * A record without what differs between two runs of one workload: time, ports, connection, timings. A login's
     * response bytes differ too: over TLS PostgreSQL also offers SCRAM-SHA-256-PLUS (channel binding), 19 bytes.
     */
    record Comparable(RecordKind kind, String user, String database, Object statement, Long rows, Long affected,
            long requestBytes, Long responseBytes, String status, Object error) {
        static Comparable of(TransactionRecord r) {
            return new Comparable(r.kind(), r.session().user(), r.session().database(), r.statement(),
                    r.response() == null ? null : r.response().rows(),
                    r.response() == null ? null : r.response().rowsAffected(),
                    r.request() == null ? -1 : r.request().bytes(),
                    r.response() == null || r.kind() == RecordKind.LOGIN ? null : r.response().bytes(),
                    r.status().json(), r.error());
        }
    }

    /** The decrypted session's records equal the clear ones, but for tls and decrypted. */
    static void assertSameAsClear(List<TransactionRecord> decrypted, List<TransactionRecord> clear) {
        assertThat(clear).isNotEmpty();
        assertThat(decrypted.stream().map(Comparable::of).collect(Collectors.toList()))
                .isEqualTo(clear.stream().map(Comparable::of).collect(Collectors.toList()));
        assertThat(decrypted).allSatisfy(r -> {
            assertThat(r.session().tls()).isTrue();
            assertThat(r.session().decrypted()).isTrue();
        });
        assertThat(clear).allSatisfy(r -> {
            assertThat(r.session().tls()).isFalse();
            assertThat(r.session().decrypted()).isFalse();
        });
    }
}
