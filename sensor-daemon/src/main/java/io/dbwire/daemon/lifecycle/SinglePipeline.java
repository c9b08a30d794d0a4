package io.dbwire.daemon.lifecycle;

import io.dbwire.core.pipeline.Sensor;
import io.dbwire.core.pipeline.SensorStats;
import io.dbwire.daemon.source.FrameIntake;
import io.dbwire.daemon.source.FrameQueue;
import java.util.concurrent.TimeUnit;

/** One thread owns one {@link Sensor}, detection included: the default ({@code listen.pipeline_threads: 1}). */
final class SinglePipeline implements Pipeline {
    private final FrameQueue queue;
    private final PipelineLoop loop;
    private final Thread thread;

    SinglePipeline(FrameQueue queue, PipelineLoop loop) {
        this.queue = queue;
        this.loop = loop;
        this.thread = new Thread(loop, "dbwire-pipeline");
    }

    @Override
    public FrameIntake intake() {
        return queue;
    }

    @Override
    public void start() {
        thread.start();
    }

    @Override
    public boolean drainAndFinish(long timeout, TimeUnit unit) throws InterruptedException {
        loop.requestStop();
        return loop.awaitFinished(timeout, unit);
    }

    @Override
    public SensorStats stats() {
        return loop.stats();
    }

    @Override
    public int queueDepth() {
        return queue.depth();
    }

    @Override
    public boolean alive() {
        return thread.isAlive();
    }
}
