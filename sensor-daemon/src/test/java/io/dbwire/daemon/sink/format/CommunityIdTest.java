package io.dbwire.daemon.sink.format;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Vectors from the specification's baseline (corelight/community-id-spec, baseline/README.md and _deflt.json). */
class CommunityIdTest {
    @ParameterizedTest(name = "{4} {0}:{1} -> {2}:{3} seed {5}")
    @CsvSource({
            "1.2.3.4, 1122, 5.6.7.8, 3344, 6, 0, 1:wCb3OG7yAFWelaUydu0D+125CLM=",
            "5.6.7.8, 3344, 1.2.3.4, 1122, 6, 0, 1:wCb3OG7yAFWelaUydu0D+125CLM=",
            "1.2.3.4, 1122, 5.6.7.8, 3344, 17, 0, 1:0Mu9InQx6z4ZiCZM/7HXi2WMhOg=",
            "1.2.3.4, 1122, 5.6.7.8, 3344, 6, 1, 1:HhA1B+6CoLbiKPEs5nhNYN4XWfk=",
            "5.6.7.8, 3344, 1.2.3.4, 1122, 6, 1, 1:HhA1B+6CoLbiKPEs5nhNYN4XWfk=",
            "128.232.110.120, 34855, 66.35.250.204, 80, 6, 0, 1:LQU9qZlK+B5F3KDmev6m5PMibrg=",
            "66.35.250.204, 80, 128.232.110.120, 34855, 6, 0, 1:LQU9qZlK+B5F3KDmev6m5PMibrg=",
            "2001:470:e5bf:dead:4957:2174:e82c:4887, 63943, 2607:f8b0:400c:c03::1a, 25, 6, 0, 1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=",
            "2607:f8b0:400c:c03::1a, 25, 2001:470:e5bf:dead:4957:2174:e82c:4887, 63943, 6, 0, 1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=",
            "192.168.170.8, 7, 192.168.170.56, 7, 132, 0, 1:MP2EtRCAUIZvTw6MxJHLV7N7JDs=",
    })
    void matchesTheSpecificationsBaseline(String src, int sport, String dst, int dport, int proto, int seed,
            String expected) {
        assertThat(CommunityId.v1(src, sport, dst, dport, proto, seed)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"db.example.com", "''", "10.0.0.256", "10.0.0"})
    void anythingButAnAddressLiteralGivesNoId(String ip) {
        assertThat(CommunityId.tcp(ip, 1, "10.0.0.1", 5432)).isNull();
    }
}
