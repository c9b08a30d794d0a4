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
    private Bench() {}

    public static void run(SensorConfig config, Path capture, int repeat, int shards, PrintStream out)
            throws SourceException, InterruptedException {
        PipelineBench bench = new PipelineBench(config);
        out.printf("dbwire bench: %s, %d cores available, %d pass(es) per mode%n", capture,
                Runtime.getRuntime().availableProcessors(), repeat);
        for (int i = 0; i < repeat; i++) {
            out.println(bench.fromFile(capture).format());
        }
        CaptureInMemory frames = CaptureInMemory.load(capture);
        for (int i = 0; i < repeat; i++) {
            out.println(bench.inMemory(frames).format());
        }
        if (shards > 1) {
            for (int i = 0; i < repeat; i++) {
                out.println(bench.sharded(frames, shards).format());
            }
        }
        out.flush();
    }
}
