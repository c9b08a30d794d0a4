package io.dbwire.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Known answers from RFC 8448 (Example Handshake Traces for TLS 1.3), section 3 "Simple 1-RTT Handshake". */
class KeyScheduleTest {

    @Test
    void serverHandshakeKeyAndIvFromRfc8448() {
        byte[] serverHsSecret = ServerHello.hex(
                "b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38");
        byte[] key = KeySchedule.hkdfExpandLabel("HmacSHA256", serverHsSecret, "key", new byte[0], 16);
        byte[] iv = KeySchedule.hkdfExpandLabel("HmacSHA256", serverHsSecret, "iv", new byte[0], 12);
        assertThat(Fingerprints.hex(key, 32)).isEqualTo("3fce516009c21727d0f2e4e86ee403bc");
        assertThat(Fingerprints.hex(iv, 24)).isEqualTo("5d313eb2671276ee13000b30");
    }

    @Test
    void prfOutputHasTheAskedLengthAndDependsOnEveryInput() {
        byte[] secret = new byte[48];
        byte[] seed = new byte[64];
        byte[] a = KeySchedule.prf12("HmacSHA256", secret, "key expansion", seed, 40);
        seed[63] = 1;
        byte[] b = KeySchedule.prf12("HmacSHA256", secret, "key expansion", seed, 40);
        assertThat(a).hasSize(40).isNotEqualTo(b);
    }
}
