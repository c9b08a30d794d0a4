package io.dbwire.core.protocol;

import io.dbwire.core.record.DatabaseProtocol;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.tcp.CloseReason;
import io.dbwire.core.tcp.Direction;
import io.dbwire.core.tcp.StreamListener;
import io.dbwire.core.util.ReasonCounters;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProtocolSnifferTest {
    /** PostgreSQL StartupMessage: int32 length, int32 protocol 3.0 (0x00030000), "user\0app\0\0". */
    private static final byte[] PG_STARTUP = {
        0, 0, 0, 19, // length, including itself
        0, 3, 0, 0, // protocol 3.0
        'u', 's', 'e', 'r', 0, 'a', 'p', 'p', 0, 0, 0};
    /** PostgreSQL SSLRequest: length 8, code 80877103 (0x04D2162F). */
    private static final byte[] PG_SSL_REQUEST = {0, 0, 0, 8, 0x04, (byte) 0xD2, 0x16, 0x2F};
    /** MySQL Handshake v10 header: payload length 0x4A (74) little-endian, sequence 0, protocol version 10. */
    private static final byte[] MYSQL_HANDSHAKE = {0x4A, 0, 0, 0, 10, '1', '0', '.', '1', '1', 0};

    private final ReasonCounters<SniffOutcome> outcomes = new ReasonCounters<>(SniffOutcome.class);
    private final Map<DatabaseProtocol, Recorder> opened = new EnumMap<>(DatabaseProtocol.class);
    private final ProtocolSniffer sniffer = new ProtocolSniffer(p -> opened.computeIfAbsent(p, k -> new Recorder()),
            outcomes);

    @Test
    void postgresStartupIsHandedOverWithEveryByte() {
        feedSplit(Direction.CLIENT_TO_SERVER, PG_STARTUP, 1);
        assertThat(opened).containsOnlyKeys(DatabaseProtocol.POSTGRESQL);
        assertThat(opened.get(DatabaseProtocol.POSTGRESQL).bytes(Direction.CLIENT_TO_SERVER)).isEqualTo(PG_STARTUP);
        assertThat(outcomes.get(SniffOutcome.POSTGRESQL)).isEqualTo(1);
    }

    @Test
    void sslRequestIsPostgres() {
        sniffer.onData(Direction.CLIENT_TO_SERVER, PG_SSL_REQUEST, 0, PG_SSL_REQUEST.length, 1);
        assertThat(opened).containsOnlyKeys(DatabaseProtocol.POSTGRESQL);
    }

    @Test
    void mysqlHandshakeFromTheServerIsMySql() {
        feedSplit(Direction.SERVER_TO_CLIENT, MYSQL_HANDSHAKE, 3);
        sniffer.onData(Direction.CLIENT_TO_SERVER, new byte[] {1, 2, 3}, 0, 3, 5);
        Recorder mysql = opened.get(DatabaseProtocol.MYSQL);
        assertThat(opened).containsOnlyKeys(DatabaseProtocol.MYSQL);
        assertThat(mysql.bytes(Direction.SERVER_TO_CLIENT)).isEqualTo(MYSQL_HANDSHAKE);
        assertThat(mysql.bytes(Direction.CLIENT_TO_SERVER)).containsExactly(1, 2, 3);
        sniffer.onClose(CloseReason.FIN, 9);
        assertThat(mysql.closed).isTrue();
    }

    @Test
    void httpIsIgnoredAndCountedOnce() {
        byte[] get = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        sniffer.onData(Direction.CLIENT_TO_SERVER, get, 0, get.length, 1);
        sniffer.onData(Direction.SERVER_TO_CLIENT, get, 0, get.length, 2);
        sniffer.onClose(CloseReason.FIN, 3);
        assertThat(opened).isEmpty();
        assertThat(outcomes.nonZero()).containsExactlyEntriesOf(Map.of(SniffOutcome.UNKNOWN, 1L));
    }

    @Test
    void aServerBannerThatIsNotMySqlIsIgnored() {
        byte[] smtp = "220 mail ESMTP\r\n".getBytes(StandardCharsets.US_ASCII);
        sniffer.onData(Direction.SERVER_TO_CLIENT, smtp, 0, smtp.length, 1);
        assertThat(opened).isEmpty();
        assertThat(outcomes.get(SniffOutcome.UNKNOWN)).isEqualTo(1);
    }

    @Test
    void aPostgresLengthOutOfRangeIsNotPostgres() {
        byte[] huge = {0x7F, 0, 0, 0, 0, 3, 0, 0};
        sniffer.onData(Direction.CLIENT_TO_SERVER, huge, 0, huge.length, 1);
        assertThat(opened).isEmpty();
    }

    @Test
    void closingBeforeEnoughBytesIsUndecided() {
        sniffer.onData(Direction.CLIENT_TO_SERVER, PG_STARTUP, 0, 3, 1);
        sniffer.onClose(CloseReason.RST, 2);
        assertThat(outcomes.nonZero()).containsExactlyEntriesOf(Map.of(SniffOutcome.UNDECIDED, 1L));
    }

    private void feedSplit(Direction d, byte[] bytes, int chunk) {
        for (int i = 0; i < bytes.length; i += chunk) {
            sniffer.onData(d, bytes, i, Math.min(chunk, bytes.length - i), i);
        }
    }

    /** A parser stand-in that keeps what it was given. */
    private static final class Recorder implements StreamListener {
        final Map<Direction, ByteArrayOutputStream> data = new EnumMap<>(Direction.class);
        final List<Long> gaps = new ArrayList<>();
        boolean closed;

        byte[] bytes(Direction d) {
            return data.getOrDefault(d, new ByteArrayOutputStream()).toByteArray();
        }

        @Override
        public void onData(Direction direction, byte[] buffer, int offset, int length, long tsMicros) {
            data.computeIfAbsent(direction, k -> new ByteArrayOutputStream()).write(buffer, offset, length);
        }

        @Override
        public void onGap(Direction direction, long missingBytes, long tsMicros) {
            gaps.add(missingBytes);
        }

        @Override
        public void onClose(CloseReason reason, long tsMicros) {
            closed = true;
        }
    }
}
