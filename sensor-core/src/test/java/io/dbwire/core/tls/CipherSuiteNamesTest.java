package io.dbwire.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CipherSuiteNamesTest {
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        // One per family and era, checked against the IANA registry's tls-parameters-4.csv.
        "0x0000, TLS_NULL_WITH_NULL_NULL",
        "0x0004, TLS_RSA_WITH_RC4_128_MD5",
        "0x000a, TLS_RSA_WITH_3DES_EDE_CBC_SHA",
        "0x0017, TLS_DH_anon_EXPORT_WITH_RC4_40_MD5",   // mixed case in the registry
        "0x002f, TLS_RSA_WITH_AES_128_CBC_SHA",         // the TLS 1.0/1.1 workhorse
        "0x0035, TLS_RSA_WITH_AES_256_CBC_SHA",
        "0x0039, TLS_DHE_RSA_WITH_AES_256_CBC_SHA",     // the example, shown as 0x0039 before
        "0x0084, TLS_RSA_WITH_CAMELLIA_256_CBC_SHA",
        "0x009c, TLS_RSA_WITH_AES_128_GCM_SHA256",      // decryptable: TlsCipherSuite's own name
        "0x00c6, TLS_SM4_GCM_SM3",
        "0x00ff, TLS_EMPTY_RENEGOTIATION_INFO_SCSV",
        "0x1301, TLS_AES_128_GCM_SHA256",
        "0x1304, TLS_AES_128_CCM_SHA256",
        "0x1305, TLS_AES_128_CCM_8_SHA256",
        "0x1306, TLS_AEGIS_256_SHA512",
        "0x5600, TLS_FALLBACK_SCSV",
        "0xc013, TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
        "0xc027, TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
        "0xc0aa, TLS_PSK_DHE_WITH_AES_128_CCM_8",       // the registry's own word order
        "0xc0b5, TLS_SHA384_SHA384",
        "0xc106, TLS_GOSTR341112_256_WITH_MAGMA_MGM_S",
        "0xccac, TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256",
        "0xd005, TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256",
        // Deployed in the SSL 3.0 / TLS 1.0 era without a registry entry.
        "0x001d, SSL_FORTEZZA_KEA_WITH_FORTEZZA_CBC_SHA",
        "0x0062, TLS_RSA_EXPORT1024_WITH_DES_CBC_SHA",
        "0x0081, TLS_GOSTR341001_WITH_28147_CNT_IMIT",
        "0xfeff, SSL_RSA_FIPS_WITH_3DES_EDE_CBC_SHA",
    })
    void namedWhetherOrNotDecryptable(String code, String name) {
        assertThat(TlsCipherSuite.name(Integer.decode(code))).isEqualTo(name);
    }

    @Test
    void unassignedReservedAndGreaseCodesStayNumbers() {
        assertThat(TlsCipherSuite.name(0x1337)).isEqualTo("0x1337");
        assertThat(TlsCipherSuite.name(0x0a0a)).isEqualTo("0x0a0a"); // GREASE (RFC 8701)
        assertThat(TlsCipherSuite.name(0x005d)).isEqualTo("0x005d"); // unassigned
        assertThat(TlsCipherSuite.name(0xff00)).isEqualTo("0xff00"); // private use
        assertThat(TlsCipherSuite.name(0xd004)).isEqualTo("0xd004"); // a hole in the registry
    }

    @Test
    void everyDecryptableSuiteHasTheRegistryName() {
        for (TlsCipherSuite s : TlsCipherSuite.values()) {
            assertThat(CipherSuiteNames.name(s.id)).as("0x%04x", s.id).isEqualTo(s.name());
        }
    }

    @Test
    void theWholeRegistryIsThere() {
        // 352 registry rows with a TLS_ name (tls-parameters-4.csv, 2024) + 17 deployed before the registry.
        assertThat(CipherSuiteNames.size()).isEqualTo(352 + 17);
    }
}
