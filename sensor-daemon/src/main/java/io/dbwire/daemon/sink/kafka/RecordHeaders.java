package io.dbwire.daemon.sink.kafka;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Headers on every record message, outside the record JSON (whose shape is a contract): which sensor wrote it, and
 * whether that sensor runs detection itself. {@code dbwire detect} reads both (docs/scale.md): the sensor name goes
 * into its alerts, and records of a sensor that detects on its own are not alerted on twice.
 */
public final class RecordHeaders {
    /** The writing sensor's {@code outputs.sensor_name} (UTF-8). */
    public static final String SENSOR = "dbwire.sensor";
    /** {@code on} when the writing sensor runs detection itself, {@code off} when it leaves it to central detection. */
    public static final String DETECTION = "dbwire.detection";

    private RecordHeaders() {}

    static List<Header> of(String sensor, boolean detecting) {
        return List.of(new RecordHeader(SENSOR, sensor.getBytes(StandardCharsets.UTF_8)),
                new RecordHeader(DETECTION, (detecting ? "on" : "off").getBytes(StandardCharsets.US_ASCII)));
    }

    /** The header's last value as text, or null when absent. */
    public static String text(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
