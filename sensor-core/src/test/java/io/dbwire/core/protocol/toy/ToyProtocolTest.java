package io.dbwire.core.protocol.toy;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.config.ProtocolConfig;
import io.dbwire.core.config.TcpConfig;
import io.dbwire.core.decap.DecodedPacket;
import io.dbwire.core.protocol.session.SessionCounters;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.core.tcp.ConnectionInfo;
import io.dbwire.core.tcp.StreamListener;
import io.dbwire.core.tcp.StreamListenerFactory;
import io.dbwire.core.tcp.TcpTracker;
import io.dbwire.core.util.ReasonCounters;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A third protocol on the shared skeleton ({@link ToyFramer} and {@link ToySession}, nothing else), driven
 * through the real TCP layer: segments in, transaction records out.
 */
class ToyProtocolTest {
    private static final long T0 = 1_764_172_800_000_000L;
    private static final int PORT = 7777;

    private final List<TransactionRecord> records = new ArrayList<>();
    private final ReasonCounters<ToyEvent> counters = new ReasonCounters<>(ToyEvent.class);
    private final TcpTracker tracker = new TcpTracker(TcpConfig.defaults(), new StreamListenerFactory() {
        @Override
        public StreamListener open(ConnectionInfo connection) {
            return new ToySession(connection, ProtocolConfig.defaults(), records::add,
                    new SessionCounters<>(counters, ToyEvent.class), false);
        }

        @Override
        public boolean isServerPort(int port) {
            return port == PORT;
        }
    });
    private final DecodedPacket packet = new DecodedPacket();
    private long clientSeq = 1000;
    private long serverSeq = 5000;

    @Test
    void queriesAndAnswersBecomeStatementRecordsWithTimes() {
        handshake();
        client(T0 + 100, "QUERY SELECT * FROM t WHERE id = 42\nQUERY DELETE FROM t\n");
        server(T0 + 350, "OK 1\n");
        server(T0 + 400, "ERR permission denied\n");
        client(T0 + 500, "QUERY SELECT 1\n");
        close(T0 + 600);

        assertThat(records).extracting(r -> r.statement().text())
                .containsExactly("SELECT * FROM t WHERE id = ?", "DELETE FROM t", "SELECT ?");
        TransactionRecord first = records.get(0);
        assertThat(first.kind()).isEqualTo(RecordKind.STATEMENT);
        assertThat(first.tsMicros()).isEqualTo(T0 + 100);
        assertThat(first.request().bytes()).isEqualTo("QUERY SELECT * FROM t WHERE id = 42\n".length());
        assertThat(first.response().rowsAffected()).isEqualTo(1);
        assertThat(first.response().serverUs()).isEqualTo(250);
        assertThat(first.client().port()).isEqualTo(40_000);
        assertThat(records.get(1).status()).isEqualTo(RecordStatus.ERROR);
        assertThat(records.get(1).error().message()).isEqualTo("permission denied");
        assertThat(records.get(2).status()).isEqualTo(RecordStatus.INCOMPLETE); // the connection closed first
        assertThat(counters.get(ToyEvent.RECORDS_EMITTED)).isEqualTo(3);
        assertThat(counters.get(ToyEvent.INCOMPLETE_STATEMENTS)).isEqualTo(1);
    }

    @Test
    void aGapFlushesWhatWaitedAndTheNextLinePairsAgain() {
        handshake();
        client(T0 + 100, "QUERY SELECT 1\n");
        serverSeq += 7; // seven bytes of the answer never reached the mirror
        server(T0 + 200, "st line\n"); // the rest of a line: skipped up to its end
        client(T0 + 300, ""); // the client acknowledges all of it; the TCP layer gives the hole up after a grace
        client(T0 + 900_000, "QUERY SELECT 2\n");
        server(T0 + 900_100, "OK 0\n");

        assertThat(records).extracting(TransactionRecord::status)
                .containsExactly(RecordStatus.INCOMPLETE, RecordStatus.OK);
        assertThat(counters.get(ToyEvent.GAPS)).isEqualTo(1);
    }

    @Test
    void aBugInTheStateMachineIsCountedAndTheConnectionReadOn() {
        handshake();
        client(T0 + 100, "QUERY SELECT 1\n");
        server(T0 + 200, "CRASH\n");
        client(T0 + 300, "QUERY SELECT 2\n");
        server(T0 + 400, "rest of what may be a cut line\nOK 4\n"); // resync: the first line is skipped

        assertThat(counters.get(ToyEvent.INTERNAL_ERROR_RESYNCED)).isEqualTo(1);
        assertThat(records).extracting(TransactionRecord::status)
                .containsExactly(RecordStatus.INCOMPLETE, RecordStatus.OK);
        assertThat(records.get(1).response().rowsAffected()).isEqualTo(4);
    }

    private void handshake() {
        send(true, T0, DecodedPacket.SYN, clientSeq - 1, 0, "");
        send(false, T0 + 1, DecodedPacket.SYN | DecodedPacket.ACK, serverSeq - 1, clientSeq, "");
        send(true, T0 + 2, DecodedPacket.ACK, clientSeq, serverSeq, "");
    }

    private void client(long ts, String text) {
        send(true, ts, DecodedPacket.ACK, clientSeq, serverSeq, text);
        clientSeq += text.length();
    }

    private void server(long ts, String text) {
        send(false, ts, DecodedPacket.ACK, serverSeq, clientSeq, text);
        serverSeq += text.length();
    }

    private void close(long ts) {
        send(true, ts, DecodedPacket.RST, clientSeq, serverSeq, "");
    }

    private void send(boolean fromClient, long ts, int flags, long seq, long ack, String text) {
        byte[] payload = text.getBytes(StandardCharsets.US_ASCII);
        DecodedPacket p = packet;
        p.reset();
        p.tsMicros = ts;
        p.vni = -1;
        p.ipVersion = 4;
        long client = 0xFFFF_0A00_0001L; // ::ffff:10.0.0.1
        long server = 0xFFFF_0A00_0002L; // ::ffff:10.0.0.2
        p.srcLo = fromClient ? client : server;
        p.dstLo = fromClient ? server : client;
        p.srcPort = fromClient ? 40_000 : PORT;
        p.dstPort = fromClient ? PORT : 40_000;
        p.seq = seq & 0xFFFF_FFFFL;
        p.ack = ack & 0xFFFF_FFFFL;
        p.tcpFlags = flags;
        p.data = payload;
        p.payloadOffset = 0;
        p.payloadLength = payload.length;
        p.copyDigest = ts;
        tracker.onPacket(p);
    }
}
