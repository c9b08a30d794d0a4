package io.dbwire.core.protocol.postgres;

import static io.dbwire.core.protocol.postgres.PgWireBuilder.sslRequest;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.record.RecordKind;
import org.junit.jupiter.api.Test;

/**
 * The hand-over to the TLS layer, without keys (decryption is tested against a real server in
 * io.dbwire.core.tls.PostgresTlsSeamTest): every TLS byte reaches the TLS layer wherever deliveries are cut,
 * including the bytes the framer read while recognising direct TLS.
 */
class PgTlsSeamTest {
    static final byte[] CLIENT_HELLO = {0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0x03};
    static final byte[] SERVER_HELLO = {0x16, 0x03, 0x03, 0x00, 0x04, 0x02, 0x00, 0x00, 0x00};
    static final byte[] CLIENT_DATA = {0x17, 0x03, 0x03, 0x00, 0x02, (byte) 0xaa, (byte) 0xbb};

    private static SessionScript afterS() {
        return SessionScript.connection().client(0, sslRequest()).server(40, new byte[] {'S'})
                .client(50, CLIENT_HELLO).server(60, SERVER_HELLO).client(70, CLIENT_DATA);
    }

    private static SessionScript direct() {
        return SessionScript.connection().client(0, CLIENT_HELLO).server(60, SERVER_HELLO).client(70, CLIENT_DATA);
    }

    private static void assertTlsRecord(SessionScript.Result r, long serverBytes) {
        assertThat(r.records()).singleElement().satisfies(t -> {
            assertThat(t.kind()).isEqualTo(RecordKind.TLS);
            assertThat(t.tsMicros()).isEqualTo(SessionScript.T0);
            assertThat(t.request().bytes()).isEqualTo(CLIENT_HELLO.length + CLIENT_DATA.length);
            assertThat(t.response().bytes()).isEqualTo(serverBytes);
            assertThat(t.tls().client().records()).isEqualTo(2);
            // The hellos are cut short on purpose (they are not what is tested here); framing must hold.
            assertThat(t.tls().violations()).doesNotContainKeys("bad_content_type", "bad_record_version",
                    "resync_skipped_bytes", "gap_lost_framing", "truncated_at_close");
        });
        assertThat(r.count(PgEvent.TLS_SESSIONS)).isEqualTo(1);
        assertThat(r.count(PgEvent.GAPS)).isZero();
        assertThat(r.count(PgEvent.PROTOCOL_VIOLATION_STARTUP)).isZero();
        assertThat(r.count(PgEvent.PROTOCOL_VIOLATION_TYPE)).isZero();
    }

    @Test
    void afterSEveryTlsByteReachesTheTlsLayerAtEverySplit() {
        for (int at = 1; at < 12; at++) {
            assertTlsRecord(afterS().runSplitAt(at), SERVER_HELLO.length);
        }
        assertTlsRecord(afterS().run(1), SERVER_HELLO.length);
    }

    @Test
    void directTlsHandsOverTheHeaderTheFramerAlreadyReadAtEverySplit() {
        for (int at = 1; at < 12; at++) {
            assertTlsRecord(direct().runSplitAt(at), SERVER_HELLO.length);
        }
        assertTlsRecord(direct().run(1), SERVER_HELLO.length);
    }

    @Test
    void sAndTheServerHelloInOneDeliveryAreSplitAtTheAnswer() {
        byte[] both = new byte[1 + SERVER_HELLO.length];
        both[0] = 'S';
        System.arraycopy(SERVER_HELLO, 0, both, 1, SERVER_HELLO.length);
        // Not what a server does (it waits for the ClientHello), but the framer must not lose the bytes after 'S'.
        SessionScript.Result r = SessionScript.connection().client(0, sslRequest()).server(40, both)
                .client(50, CLIENT_HELLO).client(70, CLIENT_DATA).run();
        assertThat(r.records()).singleElement().satisfies(t ->
                assertThat(t.response().bytes()).isEqualTo(SERVER_HELLO.length));
    }
}
