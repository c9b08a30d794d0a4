package io.dbwire.daemon.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.config.DecapConfig;
import io.dbwire.daemon.config.DaemonConfig;
import io.dbwire.daemon.config.SensorConfigMapper;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ReceiveWarmUpTest {

    @Test
    void theBundledFramesBecomeVxlanPayloadsWithAnEthernetFrameInside() throws Exception {
        List<byte[]> payloads = WarmUp.vxlanPayloads();
        // 275 frames of pg-basic-vxlan.pcap (already VXLAN) and the frames of mysql-basic.pcap (wrapped here)
        assertThat(payloads).hasSizeGreaterThan(275);
        for (byte[] p : payloads) {
            assertThat(p[0]).as("VXLAN flags: VNI present").isEqualTo((byte) 0x08);
            assertThat(p.length).isGreaterThan(8 + 14);
            int etherType = (p[8 + 12] & 0xff) << 8 | (p[8 + 13] & 0xff);
            assertThat(etherType).as("inner frame's EtherType").isIn(0x0800, 0x86dd);
        }
    }

    @ParameterizedTest(name = "pipeline_threads {0}")
    @ValueSource(ints = {1, 2})
    void theThrowAwayReceiverTakesTheDatagramsSentOverLoopback(int threads) throws Exception {
        DecapConfig decap = SensorConfigMapper.toSensorConfig(DaemonConfig.defaults()).decap();
        ReceiveWarmUp.Result r = ReceiveWarmUp.run(WarmUp.vxlanPayloads(), threads, decap, true,
                TimeUnit.SECONDS.toNanos(120));
        assertThat(r.received()).isGreaterThanOrEqualTo(ReceiveWarmUp.DATAGRAMS);
        assertThat(r.sent()).isGreaterThanOrEqualTo(r.received());
    }
}
