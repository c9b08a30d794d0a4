package io.dbwire.core.detect.state;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the detection engine keeps across restarts: per detector, a tree of maps, lists, strings, numbers and
 * booleans that Jackson (or any JSON writer) can write and read back without type information. No statement
 * literals or credentials are in it: entities are addresses, user names and fingerprints; statements are not kept.
 *
 * @param version        format version; a snapshot of another version is not restored
 * @param savedAtMicros  packet time when it was taken
 * @param firstRecordMicros packet time of the first record ever seen (the engine's learning period starts there)
 * @param detectors      per detector name, its state tree
 */
public record DetectionSnapshot(int version, long savedAtMicros, long firstRecordMicros,
        Map<String, Object> detectors) {
    public static final int VERSION = 1;

    public DetectionSnapshot {
        detectors = detectors == null ? Map.of() : new LinkedHashMap<>(detectors);
    }
}
