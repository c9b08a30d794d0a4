package io.dbwire.daemon.central;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbwire.core.detect.state.DetectionSnapshot;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One file per partition, {@code detect-TOPIC-PARTITION.json}: the partition's detection snapshot and the offset of
 * the first record it does not include, written whole and renamed over the old one. Whoever is assigned the
 * partition next (this instance after a restart, or another one sharing the directory) restores the engine and reads
 * on from that offset. A file that cannot be read is set aside as {@code .corrupt}; state is never a reason to stop.
 */
final class PartitionStateStore {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionStateStore.class);

    /** A partition's saved state: its engine snapshot and where reading resumes. */
    record Saved(long nextOffset, DetectionSnapshot engine) {}

    private final Path dir;
    private final ObjectMapper mapper = new ObjectMapper();

    PartitionStateStore(Path dir) {
        this.dir = dir;
    }

    Path file(TopicPartition tp) {
        return dir.resolve("detect-" + tp.topic() + "-" + tp.partition() + ".json");
    }

    /** The saved state, or null when there is none or it is unusable (then set aside). */
    Saved read(TopicPartition tp) {
        Path f = file(tp);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            JsonNode root = mapper.readTree(f.toFile());
            JsonNode offset = root == null ? null : root.get("next_offset");
            if (offset == null || !offset.canConvertToLong() || offset.asLong() < 0 || root.get("engine") == null) {
                throw new IOException("next_offset and engine expected");
            }
            return new Saved(offset.asLong(), mapper.treeToValue(root.get("engine"), DetectionSnapshot.class));
        } catch (IOException | RuntimeException e) {
            setAside(f, e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()));
            return null;
        }
    }

    /** Writes atomically; false (logged) when it could not. */
    boolean write(TopicPartition tp, long nextOffset, DetectionSnapshot engine) {
        Path f = file(tp);
        Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("next_offset", nextOffset);
        root.put("engine", engine);
        try {
            Files.createDirectories(dir);
            mapper.writeValue(tmp.toFile(), root);
            try {
                Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warn("detect: state of {} not saved to {}: {}", tp, f, firstLine(e.getMessage()));
            return false;
        }
    }

    private static void setAside(Path f, String why) {
        Path corrupt = f.resolveSibling(f.getFileName() + ".corrupt");
        try {
            Files.move(f, corrupt, StandardCopyOption.REPLACE_EXISTING);
            LOG.warn("detect: state {} not usable ({}); moved to {}", f, why, corrupt);
        } catch (IOException e) {
            LOG.warn("detect: state {} not usable ({}) and not moved aside ({})", f, why, e.getMessage());
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
