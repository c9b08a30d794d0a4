package io.dbwire.core.protocol.postgres;

import static io.dbwire.core.protocol.postgres.PgWireBuilder.authOk;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.cat;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.commandComplete;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.dataRow;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.query;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.readyForQuery;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.rowDescription;
import static io.dbwire.core.protocol.postgres.PgWireBuilder.startup;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.decap.DecodedPacket;
import io.dbwire.core.decap.FrameBuilder;
import io.dbwire.core.decap.LinkType;
import io.dbwire.core.pipeline.Sensor;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.TransactionRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every record keeps the time of its own packets through the whole engine (decap, TCP reassembly and hold,
 * PostgreSQL): packets reach the sensor out of order, as through a load balancer or two mirror sessions, and each
 * carries its own arrival time. ts is the packet that carried the request's first byte, the timings those that
 * carried the answer, also when a packet waited in the reorder buffer or the cross-direction hold. A request whose
 * packet came only after its answer began has no measurable time: ts is the answer's first packet, the timings
 * null (not 0), and it is counted.
 */
class PacketTimingTest {
    private static final long T0 = 1_764_165_600_000_000L;
    private static final String CLIENT = "10.0.0.5";
    private static final String SERVER = "10.0.0.9";
    private static final int PSH_ACK = DecodedPacket.PSH | DecodedPacket.ACK;

    private final List<TransactionRecord> records = new ArrayList<>();
    private final Sensor sensor = new Sensor(SensorConfig.defaults(), records::add, alert -> { });
    /** Next sequence numbers of client and server data. */
    private long clientSeq = 1000;
    private long serverSeq = 2000;

    /** A client segment of {@code bytes} at {@code clientSeq + at}, acknowledging every server byte so far. */
    private void client(long micros, byte[] bytes, int at) {
        send(true, clientSeq + at, serverSeq, bytes, micros);
    }

    private void server(long micros, byte[] bytes, int at) {
        send(false, serverSeq + at, clientSeq, bytes, micros);
    }

    private void send(boolean fromClient, long seq, long ack, byte[] payload, long micros) {
        byte[] frame = (fromClient ? FrameBuilder.ipv4Tcp(CLIENT, 51234, SERVER, 5432, seq, ack, PSH_ACK, payload)
                : FrameBuilder.ipv4Tcp(SERVER, 5432, CLIENT, 51234, seq, ack, PSH_ACK, payload)).build();
        sensor.onFrame(frame, 0, frame.length, LinkType.ETHERNET, T0 + micros);
    }

    private void login() {
        sendControl(true, 999, 0, DecodedPacket.SYN, 0);
        sendControl(false, 1999, 1000, DecodedPacket.SYN | DecodedPacket.ACK, 1);
        sendControl(true, 1000, 2000, DecodedPacket.ACK, 2);
        exchange(10, startup("user", "app", "database", "shop"), 20, cat(authOk(), readyForQuery('I')));
    }

    private void sendControl(boolean fromClient, long seq, long ack, int flags, long micros) {
        byte[] frame = (fromClient ? FrameBuilder.ipv4Tcp(CLIENT, 51234, SERVER, 5432, seq, ack, flags, new byte[0])
                : FrameBuilder.ipv4Tcp(SERVER, 5432, CLIENT, 51234, seq, ack, flags, new byte[0])).build();
        sensor.onFrame(frame, 0, frame.length, LinkType.ETHERNET, T0 + micros);
    }

    /** A request and its answer, each one packet, in this order of arrival. */
    private void exchange(long requestAt, byte[] request, long answerAt, byte[] answer) {
        client(requestAt, request, 0);
        clientSeq += request.length;
        server(answerAt, answer, 0);
        serverSeq += answer.length;
    }

    private static byte[] answer(String value) {
        return cat(rowDescription("v"), dataRow(value), commandComplete("SELECT 1"), readyForQuery('I'));
    }

    private List<TransactionRecord> statements() {
        sensor.finish();
        return records.stream().filter(r -> r.kind() == RecordKind.STATEMENT).collect(Collectors.toList());
    }

    @Test
    void inOrderPacketsGiveTheirOwnTimes() {
        login();
        exchange(1_000, query("SELECT 1"), 1_300, answer("1"));
        TransactionRecord r = statements().get(0);
        assertThat(r.tsMicros()).isEqualTo(T0 + 1_000);
        assertThat(r.response().serverUs()).isEqualTo(300);
        assertThat(r.response().durationUs()).isEqualTo(300);
    }

    @Test
    void aHeldAnswerKeepsItsOwnTimeAndALaterStatementIsNotShiftedByTheHold() {
        login();
        byte[] q = query("SELECT 2");
        byte[] a = answer("2");
        // The answer arrives first (it acknowledges request bytes not seen yet: held), the request 100 µs later.
        send(false, serverSeq, clientSeq + q.length, a, 1_300);
        send(true, clientSeq, serverSeq, q, 1_200); // its own, earlier time: sent before, delivered late
        clientSeq += q.length;
        serverSeq += a.length;
        exchange(2_000, query("SELECT 3"), 2_150, answer("3"));
        List<TransactionRecord> s = statements();
        assertThat(s).extracting(TransactionRecord::tsMicros).containsExactly(T0 + 1_200, T0 + 2_000);
        assertThat(s).extracting(r -> r.response().durationUs()).containsExactly(100L, 150L);
        assertThat(s).allSatisfy(r -> assertThat(r.gaps()).isNull());
    }

    @Test
    void aRequestWhosePacketCameAfterItsAnswerHasTheAnswersTimeAndNoMadeUpDuration() {
        login();
        byte[] q = query("SELECT 2");
        byte[] a = answer("2");
        send(false, serverSeq, clientSeq + q.length, a, 1_300);
        send(true, clientSeq, serverSeq, q, 1_900); // delayed on the mirror's way past its answer
        clientSeq += q.length;
        serverSeq += a.length;
        exchange(2_000, query("SELECT 3"), 2_150, answer("3"));
        List<TransactionRecord> s = statements();
        assertThat(s.get(0).tsMicros()).as("the latest the request can have been sent").isEqualTo(T0 + 1_300);
        assertThat(s.get(0).response().serverUs()).isNull();
        assertThat(s.get(0).response().durationUs()).as("unknown, not 0").isNull();
        assertThat(s.get(0).response().rows()).isEqualTo(1);
        assertThat(s.get(1).tsMicros()).isEqualTo(T0 + 2_000);
        assertThat(s.get(1).response().durationUs()).isEqualTo(150);
        assertThat(sensor.stats().counters()).containsEntry("postgres.request_after_answer", 1L);
    }

    @Test
    void bytesBufferedBehindAHoleKeepTheirOwnPacketTime() {
        login();
        byte[] q = query("SELECT * FROM t WHERE id = 1");
        byte[] a = answer("1");
        // The request's second half arrives first (buffered), its first half 40 µs later.
        client(1_010, Arrays.copyOfRange(q, 10, q.length), 10);
        client(1_050, Arrays.copyOfRange(q, 0, 10), 0);
        clientSeq += q.length;
        // The answer's second half arrives first: the answer ended at 1 400, though its start came at 1 450.
        server(1_400, Arrays.copyOfRange(a, 20, a.length), 20);
        server(1_450, Arrays.copyOfRange(a, 0, 20), 0);
        serverSeq += a.length;
        TransactionRecord r = statements().get(0);
        assertThat(r.tsMicros()).as("the packet that carried the first byte").isEqualTo(T0 + 1_050);
        assertThat(r.response().serverUs()).as("request's last byte (1 010) to answer's first (1 450)").isEqualTo(440);
        assertThat(r.response().durationUs()).as("to the packet that carried the last byte").isEqualTo(350);
    }
}
