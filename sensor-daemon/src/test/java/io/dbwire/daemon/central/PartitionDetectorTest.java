package io.dbwire.daemon.central;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbwire.core.config.DetectionConfig;
import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.detect.state.DetectionSnapshot;
import io.dbwire.core.record.DatabaseProtocol;
import io.dbwire.core.record.Endpoint;
import io.dbwire.core.record.ErrorInfo;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.RequestInfo;
import io.dbwire.core.record.SessionInfo;
import io.dbwire.core.record.TransactionRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One partition's detection: order across sensors, the sensors an alert names, offsets, state, re-reads. */
class PartitionDetectorTest {
    private static final long T0 = 1_764_165_600_000_000L;
    private static final long WINDOW = 2_000_000L;
    private static final Endpoint SERVER = new Endpoint("10.0.0.9", 5432);

    private final ConnectionOrigins origins = new ConnectionOrigins();
    private final CentralStats stats = new CentralStats();
    private final List<Alert> alerts = new ArrayList<>();

    @TempDir
    Path dir;

    @Test
    void failedLoginsFromTwoSensorsMakeOneBruteForceAlertNamingBothWithTheirOwnConnectionIds() {
        PartitionDetector p = detector();
        int a = origins.index("sensor-a");
        int b = origins.index("sensor-b");
        for (int i = 0; i < 12; i++) {
            // Both sensors number their connections from 1: the same ids, different connections.
            p.offer(origins.fleetWide(failedLogin(T0 + i * 1_000L, 1 + i / 2), i % 2 == 0 ? a : b), i, 0);
        }
        p.finish();
        assertThat(alerts).extracting(Alert::detection).containsExactly("auth_bruteforce", "auth_bruteforce");
        Alert first = alerts.get(0);
        assertThat(first.observed().get("failed_logins")).isEqualTo(10);
        assertThat(first.observed().get("sensors")).isEqualTo("sensor-b,sensor-a");
        assertThat(first.observed().get("connections")).isEqualTo("sensor-b/5");
        assertThat(first.connectionIds()).containsExactly(5L);
        assertThat(stats.alerts()).isEqualTo(2);
    }

    @Test
    void recordsOfTwoSensorsReachDetectionInPacketTimeOrderWithinTheWindow() {
        List<Long> fed = new ArrayList<>();
        HeldRecords held = new HeldRecords(WINDOW, 100);
        long[] times = {T0 + 500_000, T0, T0 + 1_000_000, T0 + 200_000, T0 + 3_100_000, T0 + 3_000_000};
        for (int i = 0; i < times.length; i++) {
            held.add(failedLogin(times[i], 1), i, (r, offset) -> fed.add(r.tsMicros() - T0));
        }
        // T0+3.1 s makes everything up to T0+1.1 s due; the rest waits for later records or the end.
        assertThat(fed).containsExactly(0L, 200_000L, 500_000L, 1_000_000L);
        assertThat(held.minOffset()).isEqualTo(4);
        held.releaseAll((r, offset) -> fed.add(r.tsMicros() - T0));
        assertThat(fed).endsWith(3_000_000L, 3_100_000L);
        assertThat(held.minOffset()).isEqualTo(-1);
    }

    @Test
    void beyondItsBoundTheEarliestRecordLeavesAtOnceAndIsCounted() {
        HeldRecords held = new HeldRecords(Long.MAX_VALUE / 4, 3);
        List<Long> offsets = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            held.add(failedLogin(T0 - i, 1), i, (r, offset) -> offsets.add(offset));
        }
        assertThat(offsets).as("the earliest in packet time").containsExactly(3L, 4L);
        assertThat(held.releasedEarly()).isEqualTo(2);
        assertThat(held.size()).isEqualTo(3);
    }

    @Test
    void offsetsAreCommittableOnlyUpToTheFirstRecordStillHeld() {
        PartitionDetector p = detector();
        p.startAt(40, -1);
        assertThat(p.committable()).isEqualTo(40);
        p.offer(failedLogin(T0, 1), 40, 0);
        p.pass(41, 0);
        assertThat(p.committable()).as("record 40 is held for ordering").isEqualTo(40);
        p.offer(failedLogin(T0 + 5_000_000, 2), 42, 0);
        assertThat(p.committable()).as("40 went to detection, 42 is held").isEqualTo(42);
        p.snapshot();
        assertThat(p.committable()).isEqualTo(43);
    }

    @Test
    void readingAgainFromTheStartAfterATakeoverRebuildsTheWindowsWithoutRepeatingAlerts() {
        PartitionDetector first = detector();
        for (int i = 0; i < 11; i++) {
            first.offer(failedLogin(T0 + i, 1), i, 0);
        }
        first.snapshot();
        assertThat(first.committable()).isEqualTo(11);
        assertThat(alerts).hasSize(1); // the tenth failure, offset 9
        // The owner dies without saving state; the next reads 0..10 again, silently, then new records.
        PartitionDetector next = detector();
        next.startAt(0, 11);
        for (int i = 0; i < 13; i++) {
            next.offer(failedLogin(T0 + i, 1), i, 0);
        }
        next.finish();
        assertThat(stats.alertsNotRepeated()).isEqualTo(1);
        assertThat(alerts).hasSize(2);
        assertThat(alerts.get(1).folded()).as("failures 11, 12 and 13 in the follow-up").isEqualTo(3);
    }

    @Test
    void savedStateComesBackWithTheOffsetItCovers() throws Exception {
        PartitionStateStore store = new PartitionStateStore(dir);
        TopicPartition tp = new TopicPartition("recs", 0);
        PartitionDetector first = detector();
        for (int i = 0; i < 4; i++) {
            first.offer(failedLogin(T0 + i * 60_000_000L, 1), i, 0);
        }
        DetectionSnapshot snapshot = first.snapshot();
        assertThat(store.write(tp, first.committable(), snapshot)).isTrue();
        PartitionStateStore.Saved saved = store.read(tp);
        assertThat(saved.nextOffset()).isEqualTo(4);
        ObjectMapper json = new ObjectMapper();
        assertThat(json.writeValueAsString(saved.engine())).isEqualTo(json.writeValueAsString(snapshot));
        assertThat(detector().restore(saved.engine())).isNull();
    }

    @Test
    void anUnreadableStateFileIsSetAsideAndReadAsNone() throws Exception {
        PartitionStateStore store = new PartitionStateStore(dir);
        TopicPartition tp = new TopicPartition("recs", 2);
        Files.writeString(store.file(tp), "{\"next_offset\":");
        assertThat(store.read(tp)).isNull();
        assertThat(store.file(tp).resolveSibling("detect-recs-2.json.corrupt")).exists();
        assertThat(store.file(tp)).doesNotExist();
    }

    private PartitionDetector detector() {
        return new PartitionDetector(DetectionConfig.defaults(), alerts::add, origins, WINDOW, 1_000, stats);
    }

    private static TransactionRecord failedLogin(long ts, long connection) {
        return TransactionRecord.builder(RecordKind.LOGIN, DatabaseProtocol.POSTGRESQL).ts(ts)
                .connection(connection, -1).client(new Endpoint("10.0.0.5", 40_000 + (int) connection))
                .server(SERVER).session(new SessionInfo("app", "shop", null, false, false))
                .request(new RequestInfo(100)).status(RecordStatus.ERROR)
                .error(new ErrorInfo("28P01", "password authentication failed for user \"app\"")).build();
    }
}
