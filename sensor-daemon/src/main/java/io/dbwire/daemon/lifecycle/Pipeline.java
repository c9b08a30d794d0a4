package io.dbwire.daemon.lifecycle;

import io.dbwire.core.pipeline.SensorStats;
import io.dbwire.daemon.source.FrameIntake;
import java.util.concurrent.TimeUnit;

/** The engine's threads in {@code run}: frames go in through {@link #intake()}, stats come out. */
interface Pipeline {
    FrameIntake intake();

    void start();

    /** Drain what is queued, finish the engine, save state; call after the receivers are closed. */
    boolean drainAndFinish(long timeout, TimeUnit unit) throws InterruptedException;

    SensorStats stats();

    int queueDepth();

    boolean alive();
}
