package io.dbwire.core.protocol.mysql;

import static io.dbwire.core.protocol.mysql.MySqlBytes.cat;
import static io.dbwire.core.protocol.mysql.MySqlBytes.column;
import static io.dbwire.core.protocol.mysql.MySqlBytes.okEof;
import static io.dbwire.core.protocol.mysql.MySqlBytes.payload;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.pipeline.Sensor;
import io.dbwire.core.pipeline.TcpConversation;
import io.dbwire.core.pipeline.ThreadAllocation;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.core.tcp.Direction;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * In-order packets of a MySQL connection that do not complete a statement — the segments of a large text or
 * binary result and of a request split over several segments, and the bare ACKs between them — allocate nothing
 * in steady state. Whole engine fed Ethernet frames written ahead of time (see {@code PgStreamAllocationTest});
 * the packets that start and complete a statement are left out of the measured windows.
 */
class MySqlStreamAllocationTest {
    private static final int ROUNDS = 240;
    private static final int WARM_UP = 200;
    private static final int ROWS = 3_000;

    private final List<TransactionRecord> records = new ArrayList<>();
    private final Sensor sensor = new Sensor(SensorConfig.defaults(), records::add, alert -> { });
    private final TcpConversation c = new TcpConversation("10.0.0.5", 50_000, "10.0.0.9", 3306,
            1_764_165_600_000_000L);

    MySqlStreamAllocationTest() {
        for (MySqlScript.Step step : MySqlFixtures.login(MySqlScript.connection(), MySqlFixtures.MODERN).steps()) {
            c.send(step.direction() == Direction.CLIENT_TO_SERVER, step.bytes());
        }
    }

    @Test
    void rowsOfALargeTextResultAllocateNothing() {
        byte[] head = cat(payload().lenenc(2).packet(1), column(2, "id"), column(3, "name"));
        byte[] rows = rows(4, false);
        for (int i = 0; i < ROUNDS; i++) {
            c.send(true, MySqlBytes.query("SELECT id, name FROM big"));
            c.measureFrom();
            c.send(false, cat(head, rows));
            c.measureTo();
            c.send(false, okEof((4 + ROWS) & 0xff, 2));
        }
        assertNothingAllocated(ROUNDS);
    }

    @Test
    void rowsOfAPreparedStatementsBinaryResultAllocateNothing() {
        c.send(true, payload().int1(MySqlWire.COM_STMT_PREPARE).str("SELECT id, name FROM big WHERE id > ?")
                .packet(0));
        c.send(false, cat(payload().int1(0).int4(300).int2(2).int2(1).int1(0).int2(0).packet(1), // id 300
                column(2, "?"), column(3, "id"), column(4, "name")));
        byte[] execute = payload().int1(MySqlWire.COM_STMT_EXECUTE).int4(300).int1(0).int4(1)
                .int1(0).int1(1).int2(3).int4(7).packet(0); // null bitmap, types bound, LONG 7
        byte[] head = cat(payload().lenenc(2).packet(1), column(2, "id"), column(3, "name"));
        byte[] rows = rows(4, true);
        for (int i = 0; i < ROUNDS; i++) {
            c.send(true, execute);
            c.measureFrom();
            c.send(false, cat(head, rows));
            c.measureTo();
            c.send(false, okEof((4 + ROWS) & 0xff, 2));
        }
        assertNothingAllocated(ROUNDS + 1); // and the PREPARE
    }

    @Test
    void segmentsOfAStatementSplitOverSeveralAllocateNothing() {
        StringBuilder sql = new StringBuilder("INSERT INTO big (id, name) VALUES ");
        for (int r = 0; sql.length() < 12_000; r++) {
            sql.append(r == 0 ? "" : ", ").append('(').append(r).append(", 'name ").append(r).append("')");
        }
        byte[] request = MySqlBytes.query(sql.toString());
        int tail = request.length % TcpConversation.MSS;
        byte[] head = java.util.Arrays.copyOfRange(request, 0, request.length - tail);
        byte[] last = java.util.Arrays.copyOfRange(request, request.length - tail, request.length);
        for (int i = 0; i < ROUNDS; i++) {
            c.measureFrom();
            c.send(true, head);
            c.measureTo();
            c.send(true, last);
            c.send(false, MySqlBytes.ok(1, 300, 2));
        }
        assertNothingAllocated(ROUNDS);
    }

    private void assertNothingAllocated(int statements) {
        TcpConversation.Allocation a = c.playMeasured(sensor, ThreadAllocation.ofCurrentThread(), WARM_UP);
        assertThat(records.size()).as("records").isEqualTo(statements + 1); // and the login
        assertThat(a.packets()).as("packets measured").isGreaterThanOrEqualTo(400);
        assertThat(a.bytes()).as("bytes allocated over %d packets", a.packets()).isZero();
    }

    /** ROWS rows from sequence id {@code seq}: text rows, or binary rows (header 0, null bitmap, LONG, string). */
    private static byte[] rows(int seq, boolean binary) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < ROWS; i++) {
            int s = (seq + i) & 0xff;
            out.writeBytes(binary
                    ? payload().int1(0).int1(0).int4(100_000 + i).lenencStr("name " + i).packet(s)
                    : MySqlBytes.textRow(s, Integer.toString(100_000 + i), "name " + i));
        }
        return out.toByteArray();
    }
}
