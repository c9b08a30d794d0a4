package io.dbwire.daemon.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.daemon.config.DaemonConfig;
import io.dbwire.daemon.config.SensorConfigMapper;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WarmUpTest {

    @Test
    void everyPassParsesTheBundledCapturesIntoTheSameRecordsAgain() throws Exception {
        var engine = SensorConfigMapper.toSensorConfig(DaemonConfig.defaults());
        WarmUp.Result w = WarmUp.run(engine, Duration.ofMillis(300));
        assertThat(w.passes()).isPositive();
        // pg-basic-vxlan.pcap gives 30 records and mysql-basic.pcap 23 (testdata): a later pass that lost its
        // connections to the previous pass's state would make fewer
        assertThat(w.records()).isEqualTo(53L * w.passes());
    }

    @Test
    void zeroMeansNoWarmUp() throws Exception {
        var engine = SensorConfigMapper.toSensorConfig(DaemonConfig.defaults());
        assertThat(WarmUp.run(engine, Duration.ZERO).passes()).isZero();
    }
}
