package io.dbwire.bench;

import io.dbwire.core.config.SensitiveScanConfig;
import io.dbwire.core.protocol.attribution.StatementComments;
import io.dbwire.core.protocol.sensitive.SensitiveRows;
import io.dbwire.core.protocol.session.RequestRun;
import io.dbwire.core.protocol.sql.SqlDialect;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What attribution costs per statement and the opt-in sensitive-data scan per row: reading a statement without
 * comments (every statement pays this), one with a sqlcommenter comment, and scanning a typical customer row
 * (id, name, e-mail, card, address; 5 columns, about 130 bytes) and a row of plain numbers and words.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AttributionBenchmark {
    private static final String PLAIN = "SELECT id, name FROM customers WHERE id = 48213";
    private static final String COMMENTED = PLAIN + " /*action='show',controller='customers',framework='django%3A4.2',"
            + "traceparent='00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'*/";

    private final SensitiveRows scan = new SensitiveRows(SensitiveScanConfig.on(), new SensitiveRows.Events() {
        @Override
        public void rowScanned() {}

        @Override
        public void rowCut() {}

        @Override
        public void rowSkipped() {}

        @Override
        public void valuesFound(int n) {}
    });
    private final byte[] sensitiveRow = dataRow("48213", "Ann Example", "ann.example@example.com",
            "4111 1111 1111 1111", "12 High Street, Springfield 12345");
    private final byte[] plainRow = dataRow("48213", "Widget, large", "1749.50", "2026-01-15 10:22:31",
            "shipped to warehouse 7 on pallet 1234567");
    private long row;

    private static byte[] dataRow(String... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(values.length);
        for (String v : values) {
            byte[] b = v.getBytes(StandardCharsets.UTF_8);
            out.write(0);
            out.write(0);
            out.write(0);
            out.write(b.length);
            out.write(b, 0, b.length);
        }
        return out.toByteArray();
    }

    @Benchmark
    public Object commentsOfAPlainStatement() {
        return StatementComments.read(PLAIN, SqlDialect.POSTGRESQL);
    }

    @Benchmark
    public Object commentsOfASqlcommenterStatement() {
        return StatementComments.read(COMMENTED, SqlDialect.POSTGRESQL);
    }

    @Benchmark
    public Object scanSensitiveRow() {
        RequestRun run = new RequestRun(null);
        scan.postgresDataRow(sensitiveRow, sensitiveRow.length, sensitiveRow.length, run, ++row % 1000 + 1);
        return run;
    }

    @Benchmark
    public Object scanPlainRow() {
        RequestRun run = new RequestRun(null);
        scan.postgresDataRow(plainRow, plainRow.length, plainRow.length, run, ++row % 1000 + 1);
        return run;
    }
}
