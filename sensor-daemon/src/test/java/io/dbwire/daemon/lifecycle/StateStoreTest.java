package io.dbwire.daemon.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.config.DetectionConfig;
import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.detect.DetectionEngine;
import io.dbwire.core.record.Endpoint;
import io.dbwire.core.record.DatabaseProtocol;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.SessionInfo;
import io.dbwire.core.record.TransactionRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {
    static final long T0 = 1_767_225_600_000_000L;
    static final Endpoint PG = new Endpoint("10.0.0.1", 5432);

    @TempDir
    Path dir;

    static TransactionRecord login(long sec, String client, String user) {
        return TransactionRecord.builder(RecordKind.LOGIN, DatabaseProtocol.POSTGRESQL).ts(T0 + sec * 1_000_000L)
                .connection(1, -1).client(new Endpoint(client, 40_000)).server(PG)
                .session(new SessionInfo(user, "app", null, false, false)).build();
    }

    @Test
    void aSavedStateIsLoadedAndTheLearningPeriodIsNotRestarted() throws Exception {
        DetectionEngine first = new DetectionEngine(DetectionConfig.defaults(), a -> { });
        first.accept(login(0, "10.1.0.1", "app"));
        first.accept(login(600, "10.1.0.1", "app"));
        StateStore store = new StateStore(dir.resolve("sub"));
        assertThat(store.save(first)).isTrue();
        assertThat(store.file()).exists();
        assertThat(Files.list(store.file().getParent())).containsExactly(store.file()); // no temporary left

        List<Alert> alerts = new ArrayList<>();
        DetectionEngine second = new DetectionEngine(DetectionConfig.defaults(), alerts::add);
        assertThat(new StateStore(dir.resolve("sub")).restoreInto(second)).isTrue();
        // an hour after the first record of the first run: learning is over, so a new client and user alert
        second.accept(login(3_700, "10.1.0.1", "app"));
        second.accept(login(3_710, "10.9.9.9", "intruder"));
        assertThat(alerts).extracting(Alert::detection).containsExactlyInAnyOrder("new_client", "new_user");
    }

    @Test
    void aCorruptSnapshotIsSetAsideAndTheEngineStartsFresh() throws Exception {
        StateStore store = new StateStore(dir);
        Files.writeString(store.file(), "{\"version\":1,\"detectors\":{\"new_user\":[1,2");
        DetectionEngine engine = new DetectionEngine(DetectionConfig.defaults(), a -> { });
        assertThat(store.restoreInto(engine)).isFalse();
        assertThat(store.file()).doesNotExist();
        assertThat(dir.resolve(StateStore.FILE + ".corrupt")).exists();
        engine.accept(login(0, "10.1.0.1", "app")); // still usable
        assertThat(store.save(engine)).isTrue();
    }

    @Test
    void aWellFormedSnapshotOfTheWrongShapeIsSetAsideToo() throws Exception {
        StateStore store = new StateStore(dir);
        Files.writeString(store.file(), "{\"version\":1,\"savedAtMicros\":0,\"firstRecordMicros\":0,"
                + "\"detectors\":{\"new_user\":\"nonsense\"}}");
        assertThat(store.restoreInto(new DetectionEngine(DetectionConfig.defaults(), a -> { }))).isFalse();
        assertThat(dir.resolve(StateStore.FILE + ".corrupt")).exists();
    }

    @Test
    void noSnapshotIsNotAnError() {
        assertThat(new StateStore(dir).restoreInto(new DetectionEngine(DetectionConfig.defaults(), a -> { }))).isFalse();
        assertThat(dir.resolve(StateStore.FILE + ".corrupt")).doesNotExist();
    }

    @Test
    void aStateDirectoryThatIsAFileFailsTheSaveWithoutThrowing() throws Exception {
        Path notADir = Files.writeString(dir.resolve("file"), "x");
        StateStore store = new StateStore(notADir);
        assertThat(store.save(new DetectionEngine(DetectionConfig.defaults(), a -> { }))).isFalse();
        assertThat(store.failed()).isEqualTo(1);
    }

    @Test
    void theScheduleSavesEveryIntervalOfWallClock() {
        StateStore store = new StateStore(dir);
        DetectionEngine engine = new DetectionEngine(DetectionConfig.defaults(), a -> { });
        store.maybeSave(engine, 0);
        store.maybeSave(engine, StateStore.INTERVAL_MICROS - 1);
        assertThat(store.saved()).isZero();
        store.maybeSave(engine, StateStore.INTERVAL_MICROS);
        assertThat(store.saved()).isEqualTo(1);
    }
}
