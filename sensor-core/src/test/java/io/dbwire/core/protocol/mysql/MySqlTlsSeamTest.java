package io.dbwire.core.protocol.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.core.tcp.Direction;
import org.junit.jupiter.api.Test;

/**
 * The hand-over to the TLS layer after SSLRequest, without keys (decryption itself is tested against MariaDB in
 * sensor-daemon's TlsMariaDbCaptureTest): every TLS byte reaches the TLS layer wherever the deliveries are cut,
 * also when the ClientHello shares a delivery with the SSLRequest; nothing is parsed as MySQL after it.
 */
class MySqlTlsSeamTest {
    /** TLS handshake record header (type 22, version 3.1, length 5) and 5 body bytes: an unfinished ClientHello. */
    static final byte[] CLIENT_HELLO = MySqlBytes.hex("16 03 01 00 05 01 00 00 01 03");
    /** ServerHello record header and a few body bytes. */
    static final byte[] SERVER_HELLO = MySqlBytes.hex("16 03 03 00 04 02 00 00 00");

    private static MySqlScript sslRequestThenTls(boolean sameDelivery) {
        MySqlScript s = MySqlScript.connection().server(0, MySqlFixtures.greeting(MySqlFixtures.SERVER_ALL));
        if (sameDelivery) {
            s.client(10, MySqlFixtures.sslRequest(MySqlFixtures.MODERN), CLIENT_HELLO);
        } else {
            s.client(10, MySqlFixtures.sslRequest(MySqlFixtures.MODERN)).client(15, CLIENT_HELLO);
        }
        return s.server(30, SERVER_HELLO)
                .client(40, MySqlBytes.hex("17 03 03 00 02 aa bb")) // application data: would be garbage as MySQL
                .server(50, MySqlBytes.hex("17 03 03 00 03 cc dd ee"));
    }

    private static void assertOneTlsRecordWithAllTheBytes(MySqlScript.Result r) {
        assertThat(r.records()).singleElement().satisfies(t -> {
            assertThat(t.kind()).isEqualTo(RecordKind.TLS);
            assertThat(t.tsMicros()).isEqualTo(MySqlScript.T0 + 10);
            assertThat(t.request().bytes()).isEqualTo(CLIENT_HELLO.length + 7);
            assertThat(t.response().bytes()).isEqualTo(SERVER_HELLO.length + 8);
            assertThat(t.tls().client().records()).isEqualTo(2);
            assertThat(t.tls().server().records()).isEqualTo(2);
            // The hellos are cut short on purpose (they are not what is tested here); framing must hold.
            assertThat(t.tls().violations()).doesNotContainKeys("bad_content_type", "bad_record_version",
                    "resync_skipped_bytes", "gap_lost_framing", "truncated_at_close");
            assertThat(t.session().decrypted()).isFalse();
        });
        assertThat(r.count(MySqlEvent.TLS_SESSIONS)).isEqualTo(1);
        assertThat(r.count(MySqlEvent.GAPS)).isZero();
        assertThat(r.count(MySqlEvent.SEQUENCE_VIOLATION)).isZero();
        assertThat(r.count(MySqlEvent.RESYNCS)).isZero();
    }

    @Test
    void clientHelloInTheSameDeliveryAsTheSslRequestIsHandedOver() {
        assertOneTlsRecordWithAllTheBytes(sslRequestThenTls(true).run());
    }

    @Test
    void everySplitPointAndOneByteAtATime() {
        for (boolean same : new boolean[] {true, false}) {
            for (int at = 1; at < 50; at++) {
                assertOneTlsRecordWithAllTheBytes(sslRequestThenTls(same).runSplitAt(at));
            }
            assertOneTlsRecordWithAllTheBytes(sslRequestThenTls(same).run(1));
        }
    }

    @Test
    void aGapInsideTlsIsTheTlsLayersNotAMySqlGap() {
        MySqlScript.Result r = sslRequestThenTls(false).gap(Direction.CLIENT_TO_SERVER, 60, 100)
                .client(70, MySqlBytes.hex("17 03 03 00 01 ff")).run();
        assertThat(r.records()).extracting(TransactionRecord::kind).containsExactly(RecordKind.TLS);
        assertThat(r.count(MySqlEvent.GAPS)).isZero();
        assertThat(r.records().get(0).tls().violations()).isNotEmpty();
    }
}
