package io.dbwire.daemon.bench;

import io.dbwire.core.config.SensorConfig;
import io.dbwire.daemon.source.SourceException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code dbwire bench}: the whole pipeline over one capture, from the file and from memory, on one thread and on
 * {@code shards} threads, {@code repeat} times each (the first passes also warm the JIT). One line per pass.
 */
public final class Bench {
    /**
     * Which passes to run. One mode alone profiles it without the others' warm-up: in {@code ALL} the file passes
     * run first, on a cold JIT, and the memory passes after them.
     */
    public enum Mode { ALL, FILE, MEMORY, SHARDS }

    private Bench() {}

    public static void run(SensorConfig config, Path capture, int repeat, int shards, PrintStream out)
            throws SourceException, InterruptedException {
        run(config, capture, repeat, shards, Mode.ALL, out);
    }

    public static void run(SensorConfig config, Path capture, int repeat, int shards, Mode mode, PrintStream out)
            throws SourceException, InterruptedException {
        PipelineBench bench = new PipelineBench(config);
        out.printf("dbwire bench: %s, %d cores available, %d pass(es) per mode%n", capture,
                Runtime.getRuntime().availableProcessors(), repeat);
        if (mode == Mode.ALL || mode == Mode.FILE) {
            for (int i = 0; i < repeat; i++) {
                out.println(bench.fromFile(capture).format());
            }
        }
        if (mode == Mode.FILE) {
            out.flush();
            return;
        }
        CaptureInMemory frames = CaptureInMemory.load(capture);
        if (mode == Mode.ALL || mode == Mode.MEMORY) {
            for (int i = 0; i < repeat; i++) {
                out.println(bench.inMemory(frames).format());
            }
        }
        if (shards > 1 && (mode == Mode.ALL || mode == Mode.SHARDS)) {
            for (int i = 0; i < repeat; i++) {
                out.println(bench.sharded(frames, shards).format());
            }
        }
        out.flush();
    }
}
