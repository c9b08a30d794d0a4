package io.dbwire.core.protocol.postgres;

import static io.dbwire.core.protocol.postgres.PgWireBuilder.authOk;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.bind;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.bindComplete;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.cat;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.commandComplete;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.copyData;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.copyDone;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.copyInResponse;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.copyOutResponse;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.dataRow;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.describe;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.execute;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.parse;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.parseComplete;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.query;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.readyForQuery;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.rowDescription;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.startup;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.sync;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.pipeline.Sensor;
import io.dbwire.core.pipeline.TcpConversation;
import io.dbwire.core.pipeline.ThreadAllocation;
import io.dbwire.core.record.TransactionRecord;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * In-order packets of a PostgreSQL connection that do not complete a statement — the segments of a large
 * result, of a COPY in either direction, of a request split over several segments, and the bare ACKs between
 * them — allocate nothing in steady state. Whole engine (decap, TCP, protocol, detection) fed Ethernet frames
 * written ahead of time; the JVM's per-thread allocation counter read around the packets of each measured window,
 * after warm-up rounds that let the JIT compile the path. The packets that start and complete a statement are
 * left out of the windows: they carry the per-statement cost (the record), measured elsewhere.
 */
class PgStreamAllocationTest {
    private static final int ROUNDS = 240;
    private static final int WARM_UP = 200;

    private final List<TransactionRecord> records = new ArrayList<>();
    private final Sensor sensor = new Sensor(SensorConfig.defaults(), records::add, alert -> { });
    private final TcpConversation c = new TcpConversation("10.0.0.5", 50_000, "10.0.0.9", 5432,
            1_764_165_600_000_000L);

    PgStreamAllocationTest() {
        c.send(true, startup("user", "app", "database", "shop"));
        c.send(false, cat(authOk(), readyForQuery('I')));
    }

    @Test
    void rowsOfALargeSimpleQueryResultAllocateNothing() {
        byte[] rows = cat(rowDescription("id", "name"), rows(3_000));
        for (int i = 0; i < ROUNDS; i++) {
            c.send(true, query("SELECT id, name FROM big"));
            c.measureFrom();
            c.send(false, rows);
            c.measureTo();
            c.send(false, cat(commandComplete("SELECT 3000"), readyForQuery('I')));
        }
        assertNothingAllocated(ROUNDS);
    }

    @Test
    void rowsOfAPreparedStatementsResultAllocateNothing() {
        c.send(true, cat(parse("S_1", "SELECT id, name FROM big WHERE id > $1"), sync()));
        c.send(false, cat(parseComplete(), readyForQuery('I')));
        byte[] rows = cat(bindComplete(), rowDescription("id", "name"), rows(3_000));
        for (int i = 0; i < ROUNDS; i++) {
            c.send(true, cat(bind("", "S_1", "7"), describe('P', ""), execute("", 0), sync()));
            c.measureFrom();
            c.send(false, rows);
            c.measureTo();
            c.send(false, cat(commandComplete("SELECT 3000"), readyForQuery('I')));
        }
        assertNothingAllocated(ROUNDS); // Parse + Sync makes no record
    }

    @Test
    void copyInDataAllocatesNothing() {
        byte[] data = copyRows(3_000);
        for (int i = 0; i < ROUNDS; i++) {
            c.send(true, query("COPY big FROM STDIN"));
            c.send(false, copyInResponse(2));
            c.measureFrom();
            c.send(true, data);
            c.measureTo();
            c.send(true, copyDone());
            c.send(false, cat(commandComplete("COPY 3000"), readyForQuery('I')));
        }
        assertNothingAllocated(ROUNDS);
    }

    @Test
    void copyOutDataAllocatesNothing() {
        byte[] data = cat(copyOutResponse(2), copyRows(3_000));
        for (int i = 0; i < ROUNDS; i++) {
            c.send(true, query("COPY big TO STDOUT"));
            c.measureFrom();
            c.send(false, data);
            c.measureTo();
            c.send(false, cat(copyDone(), commandComplete("COPY 3000"), readyForQuery('I')));
        }
        assertNothingAllocated(ROUNDS);
    }

    @Test
    void segmentsOfAStatementSplitOverSeveralAllocateNothing() {
        // about 12 KB of statement text: nine segments, of which the first eight do not complete the Query
        StringBuilder sql = new StringBuilder("INSERT INTO big (id, name) VALUES ");
        for (int r = 0; sql.length() < 12_000; r++) {
            sql.append(r == 0 ? "" : ", ").append('(').append(r).append(", 'name ").append(r).append("')");
        }
        byte[] request = query(sql.toString());
        int tail = request.length % TcpConversation.MSS;
        byte[] head = java.util.Arrays.copyOfRange(request, 0, request.length - tail);
        byte[] last = java.util.Arrays.copyOfRange(request, request.length - tail, request.length);
        for (int i = 0; i < ROUNDS; i++) {
            c.measureFrom();
            c.send(true, head);
            c.measureTo();
            c.send(true, last);
            c.send(false, cat(commandComplete("INSERT 0 300"), readyForQuery('I')));
        }
        assertNothingAllocated(ROUNDS);
    }

    private void assertNothingAllocated(int statements) {
        TcpConversation.Allocation a = c.playMeasured(sensor, ThreadAllocation.ofCurrentThread(), WARM_UP);
        assertThat(records.size()).as("records").isEqualTo(statements + 1); // and the login
        assertThat(a.packets()).as("packets measured").isGreaterThanOrEqualTo(400);
        assertThat(a.bytes()).as("bytes allocated over %d packets", a.packets()).isZero();
    }

    private static byte[] rows(int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            out.writeBytes(dataRow(Integer.toString(100_000 + i), "name " + i));
        }
        return out.toByteArray();
    }

    private static byte[] copyRows(int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            out.writeBytes(copyData((100_000 + i) + "\tname " + i + "\n"));
        }
        return out.toByteArray();
    }
}
