package io.dbwire.daemon.lifecycle;

import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.detect.alert.AlertSink;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.daemon.health.ServerTable;
import io.dbwire.daemon.health.SilenceWatch;

/**
 * mirror_silence of servers in a replay, on packet time: records feed the table, and once per second of packet
 * time the watch looks for servers gone quiet. A capture's end is not a silence: nothing is checked after it.
 */
final class ServerCoverage {
    private static final long CHECK_EVERY_MICROS = 1_000_000;

    private final SilenceWatch silence;
    private final AlertSink alerts;
    private final ServerTable servers;
    private long nextCheckMicros = Long.MIN_VALUE;
    private long raised;

    ServerCoverage(SilenceWatch silence, AlertSink alerts, int maxServers) {
        this.silence = silence;
        this.alerts = alerts;
        this.servers = new ServerTable(maxServers);
    }

    void onRecord(TransactionRecord r) {
        servers.record(r.server(), r.tsMicros());
    }

    void onPacketTime(long tsMicros) {
        if (tsMicros < nextCheckMicros) {
            return;
        }
        nextCheckMicros = tsMicros + CHECK_EVERY_MICROS;
        for (Alert a : silence.check(servers.snapshot(), tsMicros)) {
            alerts.accept(a);
            raised++;
        }
    }

    long alertsRaised() {
        return raised;
    }
}
