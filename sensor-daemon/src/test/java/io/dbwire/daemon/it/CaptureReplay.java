package io.dbwire.daemon.it;

import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.daemon.lifecycle.Replay;
import io.dbwire.daemon.lifecycle.ReplaySummary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Replays a capture through the same path as {@code dbwire replay}, keeping records and alerts in memory. */
final class CaptureReplay {
    record Result(List<TransactionRecord> records, List<Alert> alerts, ReplaySummary summary) {}

    private CaptureReplay() {}

    static Result replay(Path capture, SensorConfig config) throws Exception {
        List<TransactionRecord> records = new ArrayList<>();
        List<Alert> alerts = new ArrayList<>();
        ReplaySummary summary = Replay.run(config, List.of(capture), records::add, alerts::add);
        return new Result(records, alerts, summary);
    }
}
