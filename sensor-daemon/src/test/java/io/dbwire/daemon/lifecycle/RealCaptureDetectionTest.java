package io.dbwire.daemon.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.config.DetectionConfig;
import io.dbwire.core.detect.DetectionEngine;
import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.detect.alert.Severity;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.daemon.config.DaemonConfig;
import io.dbwire.daemon.config.SensorConfigMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Detectors driven by the records of a real capture (testdata/pg-basic.pcap: psql sessions against PostgreSQL 15),
 * laid over packet time: the capture's successful statements repeated minute by minute as the client's normal
 * traffic, then its one real probing error (42P01, relation does not exist) repeated two dozen times in under a
 * minute.
 */
class RealCaptureDetectionTest {
    static final long MINUTE = 60_000_000L;

    private static List<TransactionRecord> capture() throws Exception {
        List<TransactionRecord> records = new ArrayList<>();
        Replay.run(SensorConfigMapper.toSensorConfig(DaemonConfig.defaults()),
                List.of(Path.of("../testdata/pg-basic.pcap")), records::add, a -> {});
        return records;
    }

    private static TransactionRecord at(TransactionRecord r, long ts) {
        return r.toBuilder().ts(ts).build();
    }

    @Test
    void aRealProbingErrorRepeatedTwoDozenTimesIsAnErrorBurst() throws Exception {
        List<TransactionRecord> real = capture();
        List<TransactionRecord> ok = real.stream()
                .filter(r -> r.kind() == RecordKind.STATEMENT && r.status() == RecordStatus.OK).toList();
        TransactionRecord probe = real.stream().filter(r -> r.error() != null && "42P01".equals(r.error().code()))
                .findFirst().orElseThrow();
        assertThat(ok).hasSizeGreaterThan(5);
        long t0 = Math.floorDiv(real.get(0).tsMicros(), MINUTE) * MINUTE;

        List<Alert> alerts = new ArrayList<>();
        DetectionEngine engine = new DetectionEngine(DetectionConfig.defaults(), alerts::add);
        for (int m = 0; m < 80; m++) { // 80 minutes of the capture's own statements, none failing
            for (int i = 0; i < ok.size(); i++) {
                engine.accept(at(ok.get(i), t0 + m * MINUTE + i * (50 * 1_000_000L / ok.size())));
            }
        }
        long burst = t0 + 80 * MINUTE + 30_000_000L; // straddles the minute boundary
        for (int i = 0; i < 24; i++) {
            engine.accept(at(probe, burst + i * 2_000_000L));
        }
        engine.finish();

        Alert a = alerts.stream().filter(x -> x.detection().equals("error_burst")).findFirst().orElseThrow();
        assertThat(a.severity()).isGreaterThanOrEqualTo(Severity.MEDIUM);
        assertThat(a.clientIp()).isEqualTo(probe.client().ip());
        assertThat(a.explanation().rule()).isEqualTo("sliding_window");
        assertThat(a.observed().get("classes")).isEqualTo("undefined_object 20");
        assertThat(a.explanation().learntForMicros()).isGreaterThan(79 * MINUTE);
        assertThat(a.explanation().records()).first().satisfies(r -> {
            assertThat(r.connectionId()).isEqualTo(probe.connectionId());
            assertThat(r.fingerprint()).isEqualTo(probe.statement().fingerprint());
        });
        assertThat(a.evidence()).singleElement().asString().contains("no_such_table").endsWith("-> error 42P01");
        assertThat(alerts).noneMatch(x -> x.detection().equals("data_staging") || x.detection().equals("rate_spike"));
    }
}
