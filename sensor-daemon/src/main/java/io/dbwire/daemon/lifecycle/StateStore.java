package io.dbwire.daemon.lifecycle;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbwire.core.detect.DetectionEngine;
import io.dbwire.core.detect.state.DetectionSnapshot;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Detection state across restarts: {@code detection-state.json} in the state directory, written whole to a
 * temporary file and renamed over the old one (so a crash mid-write leaves the previous snapshot), read once at
 * start. A snapshot that cannot be read or restored is reported, renamed {@code .corrupt} (the previous
 * {@code .corrupt} is replaced) and the sensor starts learning afresh: state is never a reason not to run.
 * Every failure is logged and counted, never thrown.
 */
public final class StateStore {
    private static final Logger LOG = LoggerFactory.getLogger(StateStore.class);
    static final String FILE = "detection-state.json";
    /** Wall-clock time between scheduled snapshots. */
    static final long INTERVAL_MICROS = 300_000_000L;

    private final Path dir;
    private final Path file;
    private final ObjectMapper mapper = new ObjectMapper();
    private long saved;
    private long failed;
    private long lastSaveMicros = Long.MIN_VALUE;

    /** The snapshot file in a state directory (for readers such as {@code dbwire baselines}). */
    public static Path fileIn(Path dir) {
        return dir.resolve(FILE);
    }

    public StateStore(Path dir) {
        this.dir = dir;
        this.file = dir.resolve(FILE);
    }

    /** Loads the snapshot into a fresh engine; true when it was restored. Never throws. */
    public boolean restoreInto(DetectionEngine engine) {
        if (!Files.isRegularFile(file)) {
            LOG.info("no detection state at {}: learning from scratch", file);
            return false;
        }
        String why;
        try {
            DetectionSnapshot s = mapper.readValue(file.toFile(), DetectionSnapshot.class);
            why = engine.restore(s);
        } catch (IOException | RuntimeException e) {
            why = e.getClass().getSimpleName() + ": " + firstLine(e.getMessage());
        }
        if (why == null) {
            LOG.info("detection state restored from {}", file);
            return true;
        }
        setAside(why);
        return false;
    }

    /** Saves now if the schedule says so; {@code nowMicros} is wall-clock time. */
    public void maybeSave(DetectionEngine engine, long nowMicros) {
        if (lastSaveMicros == Long.MIN_VALUE) {
            lastSaveMicros = nowMicros; // the first interval starts at the first housekeeping
        } else if (nowMicros - lastSaveMicros >= INTERVAL_MICROS) {
            lastSaveMicros = nowMicros;
            save(engine);
        }
    }

    /** Writes the engine's snapshot atomically; false (logged, counted) when it could not. */
    public boolean save(DetectionEngine engine) {
        Path tmp = dir.resolve(FILE + ".tmp");
        try {
            Files.createDirectories(dir);
            mapper.writeValue(tmp.toFile(), engine.snapshot());
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            saved++;
            return true;
        } catch (IOException | RuntimeException e) {
            failed++;
            LOG.warn("detection state not saved to {}: {}", file, firstLine(e.getMessage()));
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the next save overwrites it
            }
            return false;
        }
    }

    private void setAside(String why) {
        Path corrupt = dir.resolve(FILE + ".corrupt");
        try {
            Files.move(file, corrupt, StandardCopyOption.REPLACE_EXISTING);
            LOG.warn("detection state {} not usable ({}); moved to {}, learning from scratch", file, why, corrupt);
        } catch (IOException e) {
            LOG.warn("detection state {} not usable ({}) and not moved aside ({}); learning from scratch", file, why,
                    e.getMessage());
        }
    }

    public long saved() {
        return saved;
    }

    public long failed() {
        return failed;
    }

    Path file() {
        return file;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
