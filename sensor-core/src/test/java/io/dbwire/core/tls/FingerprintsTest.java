package io.dbwire.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * JA3 and JA4 against published values. The fixture rebuilds, field by field, the Chrome 143 ClientHello that
 * browserleaks.com/tls reported (its ja4_ro gives ciphers, extensions and signature algorithms in wire order,
 * its ja3_text the groups and point formats) and expects the fingerprints browserleaks computed for it:
 * JA4 t13d1516h2_8daaf6152771_d8a2da3f94cd, JA3 98487aa16281980e7d1120d399efb6a4. GREASE values are added
 * where Chrome puts them, since browserleaks' strings are already GREASE-free.
 */
class FingerprintsTest {
    static final int GREASE_CIPHER = 0x0a0a;
    static final int GREASE_EXT_FIRST = 0x1a1a;
    static final int GREASE_EXT_LAST = 0x2a2a;
    static final int GREASE_GROUP = 0x3a3a;
    static final int GREASE_VERSION = 0x4a4a;

    static byte[] chromeHello() {
        HelloBuilder exts = new HelloBuilder()
                .ext(GREASE_EXT_FIRST, new HelloBuilder())
                .ext(0x002d, new HelloBuilder().u8(1).u8(1)) // psk_key_exchange_modes: psk_dhe_ke
                .ext(0x0033, new HelloBuilder().u16(0)) // key_share: empty list (the value does not matter)
                .ext(0x0010, new HelloBuilder().block16(new HelloBuilder() // ALPN: "h2", "http/1.1"
                        .u8(2).bytes(HelloBuilder.ascii("h2")).u8(8).bytes(HelloBuilder.ascii("http/1.1"))))
                .ext(0xfe0d, new HelloBuilder()) // encrypted_client_hello (body irrelevant here)
                .ext(0x0017, new HelloBuilder()) // extended_master_secret
                .ext(0x44cd, new HelloBuilder()) // application_settings
                .ext(0x0000, new HelloBuilder().block16(new HelloBuilder() // server_name: host_name
                        .u8(0).u16(20).bytes(HelloBuilder.ascii("tls.browserleaks.com"))))
                .ext(0x000b, new HelloBuilder().u8(1).u8(0)) // ec_point_formats: uncompressed
                .ext(0x000a, new HelloBuilder().u16List(GREASE_GROUP, 4588, 29, 23, 24)) // supported_groups
                .ext(0x002b, new HelloBuilder().u8(6).u16(GREASE_VERSION, 0x0304, 0x0303)) // supported_versions
                .ext(0xff01, new HelloBuilder().u8(0)) // renegotiation_info
                .ext(0x0023, new HelloBuilder()) // session_ticket
                .ext(0x0012, new HelloBuilder()) // signed_certificate_timestamp
                .ext(0x0005, new HelloBuilder().u8(1).u16(0).u16(0)) // status_request: ocsp
                .ext(0x000d, new HelloBuilder().u16List( // signature_algorithms, wire order
                        0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601))
                .ext(0x001b, new HelloBuilder().u8(2).u16(0x0002)) // compress_certificate: brotli
                .ext(GREASE_EXT_LAST, new HelloBuilder().u8(0));
        return HelloBuilder.handshake(TlsConstants.CLIENT_HELLO, new HelloBuilder()
                .u16(0x0303) // legacy_version
                .zeros(32) // random
                .u8(32).zeros(32) // legacy_session_id
                .u16List(GREASE_CIPHER, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8,
                        0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035)
                .u8(1).u8(0) // legacy_compression_methods: null
                .block16(exts));
    }

    static ClientHello decode(byte[] handshake) {
        return ClientHello.decode(handshake, 4, handshake.length - 4);
    }

    @Test
    void chromeHelloGivesThePublishedJa4AndJa3() {
        ClientHello h = decode(chromeHello());
        assertThat(h).isNotNull();
        assertThat(h.sni()).isEqualTo("tls.browserleaks.com");
        assertThat(h.alpnNames()).containsExactly("h2", "http/1.1");
        assertThat(Fingerprints.ja4(h)).isEqualTo("t13d1516h2_8daaf6152771_d8a2da3f94cd");
        String ja3 = Fingerprints.ja3(h);
        assertThat(ja3).isEqualTo("771,4865-4866-4867-49195-49199-49196-49200-52393-52392-49171-49172-156-157-47-53,"
                + "45-51-16-65037-23-17613-0-11-10-43-65281-35-18-5-13-27,4588-29-23-24,0");
        assertThat(Fingerprints.ja3Hash(ja3)).isEqualTo("98487aa16281980e7d1120d399efb6a4");
    }

    /**
     * A captured ClientHello (not rebuilt): the expected JA3 is what tshark 4.0.17 reported for the same packet,
     * the expected JA4 what a separate script computed from tshark's dissection (see the resource's header).
     */
    @Test
    void capturedPythonClientHelloMatchesTshark() throws Exception {
        String hex;
        try (java.io.InputStream in = getClass().getResourceAsStream("/tls/python-openssl-clienthello.hex")) {
            hex = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).lines()
                    .filter(l -> !l.startsWith("#")).collect(java.util.stream.Collectors.joining()).trim();
        }
        byte[] record = ServerHello.hex(hex);
        assertThat(record[0]).isEqualTo((byte) TlsConstants.HANDSHAKE);
        // record header (5) + handshake header (4), then the ClientHello body
        ClientHello h = ClientHello.decode(record, 9, record.length - 9);
        assertThat(h.sni()).isEqualTo("db.example.test");
        assertThat(h.alpnNames()).containsExactly("postgresql");
        String ja3 = Fingerprints.ja3(h);
        assertThat(ja3).isEqualTo("771,4866-4867-4865-49196-49200-49195-49199-52393-52392-49188-49192-49187-49191-159-"
                + "158-107-103-255,0-11-10-35-16-22-23-13-43-45-51-21,29-23-30-25-24-256-257-258-259-260,0-1-2");
        assertThat(Fingerprints.ja3Hash(ja3)).isEqualTo("304734bb1c086c3453b387400cf83f11");
        assertThat(Fingerprints.ja4(h)).isEqualTo("t13d1812pl_85036bcba153_d41ae481755e");
    }

    @Test
    void ja4HashesOfThePublishedRawStrings() {
        assertThat(Fingerprints.ja4Hash("002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9"))
                .isEqualTo("8daaf6152771");
        assertThat(Fingerprints.ja4Hash("")).isEqualTo("000000000000");
    }

    @Test
    void minimalTls12HelloWithoutExtensions() {
        // RFC 5246 lets a hello end after compression methods: no SNI, no ALPN, version from legacy_version.
        byte[] hello = HelloBuilder.handshake(TlsConstants.CLIENT_HELLO, new HelloBuilder()
                .u16(0x0303).zeros(32).u8(0).u16List(0xc02f).u8(1).u8(0));
        ClientHello h = decode(hello);
        assertThat(Fingerprints.ja4(h)).isEqualTo("t12i010000_" + Fingerprints.ja4Hash("c02f") + "_000000000000");
        assertThat(Fingerprints.ja3(h)).isEqualTo("771,49199,,,");
    }

    @Test
    void nonAlphanumericAlpnUsesHexDigits() {
        byte[] hello = HelloBuilder.handshake(TlsConstants.CLIENT_HELLO, new HelloBuilder()
                .u16(0x0303).zeros(32).u8(0).u16List(0x1301).u8(1).u8(0)
                .block16(new HelloBuilder().ext(0x0010, new HelloBuilder().block16(
                        new HelloBuilder().u8(2).u8(0xab).u8(0xcd)))));
        assertThat(Fingerprints.ja4(decode(hello))).startsWith("t12i0101ad_");
    }

    @Test
    void postgresqlAlpnIsPl() {
        byte[] hello = HelloBuilder.handshake(TlsConstants.CLIENT_HELLO, new HelloBuilder()
                .u16(0x0303).zeros(32).u8(0).u16List(0x1301).u8(1).u8(0)
                .block16(new HelloBuilder().ext(0x0010, new HelloBuilder().block16(
                        new HelloBuilder().u8(10).bytes(HelloBuilder.ascii("postgresql"))))));
        assertThat(Fingerprints.ja4(decode(hello))).startsWith("t12i0101pl_");
    }

    @Test
    void everyTruncationOfTheHelloIsRefusedNeverThrown() {
        byte[] hello = chromeHello();
        int refused = 0;
        for (int cut = 4; cut < hello.length; cut++) {
            // A hello cut short either fails its lengths or (cut exactly after compression methods) parses as
            // one without extensions: both are outcomes, neither an exception.
            ClientHello h = ClientHello.decode(hello, 4, cut - 4);
            if (h == null) {
                refused++;
            }
        }
        assertThat(refused).isGreaterThan(hello.length - 10);
    }

    @Test
    void greaseValuesAreTheSixteenOfRfc8701() {
        int count = 0;
        for (int v = 0; v < 0x10000; v++) {
            if (TlsConstants.isGrease(v)) {
                count++;
                assertThat(v >> 8).isEqualTo(v & 0xff);
            }
        }
        assertThat(count).isEqualTo(16);
        assertThat(Arrays.asList(0x0a0a, 0xfafa)).allMatch(TlsConstants::isGrease);
        assertThat(List.of(0x0a0b, 0x0303)).noneMatch(TlsConstants::isGrease);
    }
}
