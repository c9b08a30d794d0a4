package io.dbwire.daemon.central;

import java.util.concurrent.atomic.AtomicLong;

/** What {@code dbwire detect} did, for its log lines and tests; written by the consumer thread only. */
public final class CentralStats {
    final AtomicLong recordsRead = new AtomicLong();
    final AtomicLong recordsUnreadable = new AtomicLong();
    final AtomicLong recordsOfDetectingSensors = new AtomicLong();
    final AtomicLong recordsReleasedEarly = new AtomicLong();
    final AtomicLong alerts = new AtomicLong();
    final AtomicLong alertsNotRepeated = new AtomicLong();
    final AtomicLong commits = new AtomicLong();
    final AtomicLong commitFailures = new AtomicLong();
    final AtomicLong commitsDeferred = new AtomicLong();
    final AtomicLong snapshotsSaved = new AtomicLong();
    final AtomicLong snapshotsRestored = new AtomicLong();
    final AtomicLong partitionsAssigned = new AtomicLong();
    final AtomicLong partitionsRevoked = new AtomicLong();

    /** Records taken from Kafka. */
    public long recordsRead() { return recordsRead.get(); }
    /** Records that were not record JSON (another record_format, or damaged): skipped. */
    public long recordsUnreadable() { return recordsUnreadable.get(); }
    /** Records of sensors that run detection themselves, skipped (detect.detecting_sensors: skip). */
    public long recordsOfDetectingSensors() { return recordsOfDetectingSensors.get(); }
    /** Records let go before reorder_window because max_held_records was reached. */
    public long recordsReleasedEarly() { return recordsReleasedEarly.get(); }
    /** Alerts written to the alert outputs. */
    public long alerts() { return alerts.get(); }
    /** Alerts raised again while records already alerted on were re-read after a takeover: not written again. */
    public long alertsNotRepeated() { return alertsNotRepeated.get(); }
    public long commits() { return commits.get(); }
    public long commitFailures() { return commitFailures.get(); }
    /** Commits put off because an alert output had not yet taken every alert (syslog receiver away). */
    public long commitsDeferred() { return commitsDeferred.get(); }
    public long snapshotsSaved() { return snapshotsSaved.get(); }
    public long snapshotsRestored() { return snapshotsRestored.get(); }
    public long partitionsAssigned() { return partitionsAssigned.get(); }
    public long partitionsRevoked() { return partitionsRevoked.get(); }

    @Override
    public String toString() {
        return "records=" + recordsRead() + " unreadable=" + recordsUnreadable() + " of_detecting_sensors="
                + recordsOfDetectingSensors() + " released_early=" + recordsReleasedEarly() + " alerts=" + alerts()
                + " alerts_not_repeated=" + alertsNotRepeated() + " commits=" + commits() + " commit_failures="
                + commitFailures() + " commits_deferred=" + commitsDeferred() + " snapshots_saved="
                + snapshotsSaved() + " snapshots_restored=" + snapshotsRestored() + " partitions_assigned="
                + partitionsAssigned() + " partitions_revoked=" + partitionsRevoked();
    }
}
