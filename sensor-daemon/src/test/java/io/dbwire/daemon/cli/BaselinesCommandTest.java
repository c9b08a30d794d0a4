package io.dbwire.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbwire.core.config.DetectionConfig;
import io.dbwire.core.detect.DetectionEngine;
import io.dbwire.core.record.DatabaseProtocol;
import io.dbwire.core.record.Endpoint;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RequestInfo;
import io.dbwire.core.record.ResponseInfo;
import io.dbwire.core.record.SessionInfo;
import io.dbwire.core.record.StatementInfo;
import io.dbwire.core.record.TransactionRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dbwire baselines} reads the snapshot run writes and prints what was learnt, per entity. */
class BaselinesCommandTest {
    static final long T0 = 1_767_225_600_000_000L; // 2026-01-01T00:00:00Z
    static final Endpoint PG = new Endpoint("10.0.0.20", 5432);

    @TempDir
    Path dir;

    private static TransactionRecord stmt(long sec, String client, String user, String sql, long rows, long bytes) {
        return TransactionRecord.builder(RecordKind.STATEMENT, DatabaseProtocol.POSTGRESQL).ts(T0 + sec * 1_000_000L)
                .connection(sec, -1).client(new Endpoint(client, 40_000)).server(PG)
                .session(new SessionInfo(user, "shop", "nightly-export", false, false))
                .statement(new StatementInfo(sql, Integer.toHexString(sql.hashCode()), "SELECT"))
                .request(new RequestInfo(40)).response(new ResponseInfo(rows, null, bytes, 900L, 900L)).build();
    }

    private String baselines(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 1];
        all[0] = "baselines";
        System.arraycopy(args, 0, all, 1, args.length);
        int rc = DbwireCli.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), all);
        assertThat(rc).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsEachEntityWithHowLongItWasLearnt() throws Exception {
        DetectionEngine engine = new DetectionEngine(DetectionConfig.defaults(), a -> {});
        for (long m = 0; m < 180; m++) {
            engine.accept(stmt(m * 60 + 1, "10.1.0.1", "app", "SELECT * FROM orders WHERE id = ?", 1, 300));
            engine.accept(stmt(m * 60 + 2, "10.1.0.21", "export", "SELECT 1", 1, 60));
            if (m >= 120 && m < 122) {
                engine.accept(stmt(m * 60 + 3, "10.1.0.21", "export", "COPY orders TO STDOUT", 200_000, 20_000_000));
            }
        }
        engine.finish();
        new ObjectMapper().writeValue(dir.resolve("detection-state.json").toFile(), engine.snapshot());

        String all = baselines("--state", dir.toString());
        assertThat(all).contains("learning since 2026-01-01T00:00:01.000000Z (2h 59m)")
                .contains("data_staging:", "error_burst:", "latency_regression:", "new_client:")
                .contains("client=10.1.0.1 server=10.0.0.20:5432  learnt for 2h 59m");

        String one = baselines("--state", dir.toString(), "--entity", "client=10.1.0.21");
        assertThat(one).contains("client=10.1.0.21 server=10.0.0.20:5432  learnt for 2h 59m")
                .contains("ROWS_OUT: 60 values, median 1")
                .contains("user=export application=nightly-export")
                .contains("rows=200001") // the job minute, SELECT 1 included
                .contains("- client=10.1.0.21 server=10.0.0.20:5432") // a client new_client knows
                .doesNotContain("client=10.1.0.1 ");
    }

    @Test
    void aMissingSnapshotIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = DbwireCli.execute(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true,
                StandardCharsets.UTF_8), "baselines", "--state", dir.toString());
        assertThat(rc).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("dbwire: ").contains("no detection state");
        assertThat(Files.exists(dir.resolve("detection-state.json"))).isFalse();
    }
}
