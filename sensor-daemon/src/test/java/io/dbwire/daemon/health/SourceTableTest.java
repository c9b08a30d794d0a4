package io.dbwire.daemon.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class SourceTableTest {
    @Test
    void sourcesAreKeptApartByVniAndSender() throws Exception {
        SourceTable t = new SourceTable(8);
        InetAddress a = InetAddress.getByName("10.0.1.5");
        InetAddress b = InetAddress.getByName("10.0.1.6");
        t.record(a, 7, 100, 1);
        t.record(a, 7, 50, 5);
        t.record(a, 8, 10, 2);
        t.record(b, 7, 10, 3);
        t.record(InetAddress.getByName("2001:db8::1"), 7, 10, 4);
        assertThat(t.snapshot()).extracting(Activity::key).containsExactlyInAnyOrder(
                "vni=7,source=10.0.1.5", "vni=8,source=10.0.1.5", "vni=7,source=10.0.1.6",
                "vni=7,source=2001:db8:0:0:0:0:0:1");
        Activity first = t.snapshot().stream().filter(x -> x.key().equals("vni=7,source=10.0.1.5")).findFirst()
                .orElseThrow();
        assertThat(first.count()).isEqualTo(2);
        assertThat(first.bytes()).isEqualTo(150);
        assertThat(first.firstMicros()).isEqualTo(1);
        assertThat(first.lastMicros()).isEqualTo(5);
    }

    @Test
    void beyondCapacityNewSourcesAreOnlyCounted() throws Exception {
        SourceTable t = new SourceTable(2);
        for (int i = 1; i <= 5; i++) {
            t.record(InetAddress.getByName("10.0.0." + i), 1, 10, i);
        }
        assertThat(t.snapshot()).hasSize(2);
        assertThat(t.untracked()).isEqualTo(3);
    }

    @Test
    void theVniIsReadFromTheTunnelHeader() {
        byte[] vxlan = {0x08, 0, 0, 0, 0x00, 0x10, (byte) 0x92, 0}; // VNI 4242
        assertThat(SourceTable.vniOf(Unpooled.wrappedBuffer(vxlan))).isEqualTo(4242);
        assertThat(SourceTable.vniOf(Unpooled.wrappedBuffer(new byte[4]))).isEqualTo(-1);
    }
}
