package io.dbwire.daemon.lifecycle;

import io.dbwire.core.pipeline.SensorStats;
import io.dbwire.daemon.source.FrameIntake;
import io.dbwire.daemon.source.FrameQueue;
import io.dbwire.daemon.source.ShardRouter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Several pipeline threads, each owning the connections whose symmetric flow hash falls to it
 * ({@link ShardRouter}), and one detection thread fed with every shard's records
 * ({@code listen.pipeline_threads} above 1).
 */
final class ShardedPipeline implements Pipeline {
    private final List<FrameQueue> queues;
    private final List<PipelineLoop> shards;
    private final List<Thread> threads = new ArrayList<>();
    private final ShardRouter router;
    private final DetectionLoop detection;
    private final Thread detectionThread;

    ShardedPipeline(List<FrameQueue> queues, List<PipelineLoop> shards, ShardRouter router, DetectionLoop detection) {
        this.queues = List.copyOf(queues);
        this.shards = List.copyOf(shards);
        this.router = router;
        this.detection = detection;
        for (int i = 0; i < shards.size(); i++) {
            threads.add(new Thread(shards.get(i), "dbwire-pipeline-" + i));
        }
        this.detectionThread = new Thread(detection, "dbwire-detection");
    }

    @Override
    public FrameIntake intake() {
        return router;
    }

    @Override
    public void start() {
        detectionThread.start();
        threads.forEach(Thread::start);
    }

    /** Shards first (their last records, incomplete ones included, go to detection), then detection. */
    @Override
    public boolean drainAndFinish(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        shards.forEach(PipelineLoop::requestStop);
        boolean drained = true;
        for (PipelineLoop shard : shards) {
            drained &= shard.awaitFinished(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        detection.requestStop();
        return detection.awaitFinished(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS) && drained;
    }

    @Override
    public SensorStats stats() {
        SensorStats[] parts = new SensorStats[shards.size() + 1];
        for (int i = 0; i < shards.size(); i++) {
            parts[i] = shards.get(i).stats();
        }
        parts[shards.size()] = detection.stats();
        return SensorStats.sum(parts);
    }

    @Override
    public int queueDepth() {
        return queues.stream().mapToInt(FrameQueue::depth).sum() + detection.depth();
    }

    @Override
    public boolean alive() {
        return detectionThread.isAlive() && threads.stream().allMatch(Thread::isAlive);
    }
}
