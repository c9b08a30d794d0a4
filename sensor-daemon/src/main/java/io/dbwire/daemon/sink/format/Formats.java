package io.dbwire.daemon.sink.format;

import io.dbwire.core.record.RecordJson;
import io.dbwire.daemon.sink.AlertFormatter;
import io.dbwire.daemon.sink.RecordFormatter;

/** The renderings an output can be configured with, by their config names. */
public final class Formats {
    private Formats() {}

    /** {@code json} (docs/alerts.md plus sensor, community_id, connection_ids), {@code ocsf}, {@code ecs}, {@code cef}. */
    public static AlertFormatter alert(String name, AlertFormatter json, String sensor) {
        String version = ProductVersion.get();
        switch (name) {
            case "ocsf":
                return new AlertOcsf(sensor, version);
            case "ecs":
                return new AlertEcs(sensor, version);
            case "cef":
                return new AlertCef(sensor, version);
            default:
                return new AlertJsonPlus(json, sensor);
        }
    }

    /** {@code json} (docs/records.md), {@code ocsf} (Datastore Activity), {@code otel} (OpenTelemetry names). */
    public static RecordFormatter record(String name, String sensor) {
        switch (name) {
            case "ocsf":
                return new RecordOcsf(sensor, ProductVersion.get());
            case "otel":
                return new RecordOtel(sensor);
            default:
                return RecordJson::toJson;
        }
    }
}
