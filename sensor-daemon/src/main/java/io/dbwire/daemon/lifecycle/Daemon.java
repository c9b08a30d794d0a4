package io.dbwire.daemon.lifecycle;

import io.dbwire.core.decap.LinkType;
import io.dbwire.core.detect.alert.AlertSink;
import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.pipeline.DetectionStage;
import io.dbwire.core.pipeline.Sensor;
import io.dbwire.core.pipeline.SensorStats;
import io.dbwire.core.record.RecordSink;
import io.dbwire.core.tls.KeyLogStore;
import io.dbwire.daemon.config.ConfigException;
import io.dbwire.daemon.config.DaemonConfig;
import io.dbwire.daemon.config.MemoryBudget;
import io.dbwire.daemon.config.SensorConfigMapper;
import io.dbwire.daemon.config.PolicyLoader;
import io.dbwire.daemon.console.LiveConsole;
import io.dbwire.daemon.console.traffic.ConsoleFeed;
import io.dbwire.daemon.health.Activity;
import io.dbwire.daemon.health.Health;
import io.dbwire.daemon.health.HealthMonitor;
import io.dbwire.daemon.health.LatencyHistogram;
import io.dbwire.daemon.health.LossWatch;
import io.dbwire.daemon.health.ServerTable;
import io.dbwire.daemon.health.SilenceWatch;
import io.dbwire.daemon.health.SourceTable;
import io.dbwire.daemon.metrics.DaemonCounters;
import io.dbwire.daemon.metrics.MetricsServer;
import io.dbwire.daemon.metrics.MetricsSource;
import io.dbwire.daemon.metrics.MetricsSource.OutputStatus;
import io.dbwire.daemon.sink.AlertFormatter;
import io.dbwire.daemon.sink.AlertLog;
import io.dbwire.daemon.sink.AlertLogSink;
import io.dbwire.daemon.sink.JsonLineWriter;
import io.dbwire.daemon.sink.network.NetworkOutputs;
import io.dbwire.daemon.sink.format.AlertJsonPlus;
import io.dbwire.daemon.sink.kafka.KafkaOutputStats;
import io.dbwire.daemon.sink.syslog.SyslogOutput;
import io.dbwire.daemon.sink.RecordLineSink;
import io.dbwire.daemon.sink.RollingLineFile;
import io.dbwire.daemon.source.DatagramHandler;
import io.dbwire.daemon.source.FrameQueue;
import io.dbwire.daemon.source.LiveCapture;
import io.dbwire.daemon.clock.MicrosClock;
import io.dbwire.daemon.trust.MirrorFilter;
import io.dbwire.daemon.source.ShardRouter;
import io.dbwire.daemon.source.SourceException;
import io.dbwire.daemon.source.UdpReceiver;
import io.dbwire.daemon.tls.KeyLogDirectory;
import io.dbwire.daemon.tls.KeyListener;
import io.dbwire.daemon.tls.KeyListenerToken;
import io.dbwire.daemon.tls.KeyLogWatcher;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code dbwire run} as an object: {@link #start()} opens sinks, starts the pipeline thread, binds UDP and the HTTP
 * endpoint; {@link #stop()} (the SIGTERM path) closes UDP, drains the queue, finishes the sensor and closes sinks.
 */
public final class Daemon implements MetricsSource {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
    /** Longest a stop waits for the queue to drain and the sensor to finish. */
    private static final long DRAIN_TIMEOUT_SECONDS = 30;
    /** Inputs a health window needs before its loss ratio is judged. */
    private static final long LOSS_MIN_VOLUME = 1_000;

    /** Knobs that are not configuration: tests pick NIO or a short stats interval. */
    /** @param policy the configuration's DAM policy as its loader read it, or null to read detection.policy here */
    public record Options(boolean preferEpoll, Duration statsInterval, MicrosClock clock, AlertFormatter alertFormatter,
            io.dbwire.core.config.PolicyConfig policy) {
        public Options(boolean preferEpoll, Duration statsInterval, MicrosClock clock, AlertFormatter alertFormatter) {
            this(preferEpoll, statsInterval, clock, alertFormatter, null);
        }
    }

    private final DaemonConfig config;
    private final Options options;
    private final DaemonCounters counters = new DaemonCounters();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final CountDownLatch stoppedLatch = new CountDownLatch(1);
    private final long startedNanos = System.nanoTime();
    private AlertLog alertLog;
    private JsonLineWriter recordFile;
    private NetworkOutputs networkOutputs;
    private Pipeline pipeline;
    private UdpReceiver receiver;
    private MirrorFilter trustedMirrors = MirrorFilter.OPEN;
    private MetricsServer metrics;
    private StatsReporter reporter;
    private InetSocketAddress vxlanAddress;
    private LiveCapture capture;
    private InetSocketAddress geneveAddress;
    private KeyLogWatcher keyLogs;
    private KeyListener keyListener;
    /** The web console, or null when console.port is null. */
    private LiveConsole webConsole;
    private final List<SourceTable> sourceTables = new ArrayList<>();
    private ServerTable servers;
    private AlertSink alertSink;
    private HealthMonitor healthMonitor;

    public Daemon(DaemonConfig config, Options options) {
        this.config = config;
        this.options = options;
    }

    public void start() throws DaemonStartException {
        try {
            WritablePaths.check(config);
            openSinks();
            startPipeline();
            bindUdp();
            startCapture();
            startHealth();
            startHttp();
            startConsole();
        } catch (DaemonStartException e) {
            stop();
            throw e;
        }
        reporter = new StatsReporter(this, options.statsInterval());
        LOG.info("dbwire started: udp {} vxlan {}{}{}, metrics {}, console {}, alerts {}, records {}",
                receiver.transport(), vxlanAddress == null ? "off" : vxlanAddress,
                geneveAddress == null ? "" : ", geneve " + geneveAddress,
                capture == null ? "" : ", capture " + config.capture().interfaceName(),
                metrics == null ? "off" : "http://" + metrics.address().getHostString() + ":" + metrics.address().getPort(),
                webConsole == null ? "off" : "http://" + consoleAddress().getHostString() + ":" + consoleAddress().getPort() + "/",
                config.alerts().file() == null ? "stdout" : config.alerts().file(),
                config.records().file() == null ? "off" : config.records().file());
    }

    private void openSinks() throws DaemonStartException {
        try {
            alertLog = AlertLog.open(config.alerts().file(), config.alerts().rotation(),
                    Path.of(config.state().directory()), config.state().alertSpoolMaxBytes());
        } catch (IllegalStateException e) {
            throw new DaemonStartException(e.getMessage(), e);
        }
        String file = config.records().file();
        if (file != null) {
            try {
                recordFile = new JsonLineWriter(
                        new RollingLineFile(Path.of(file), config.records().rotation(), Clock.systemUTC()));
            } catch (IOException e) {
                throw new DaemonStartException("records.file: " + file + " (expected: a writable file): " + e, e);
            }
        }
        try {
            networkOutputs = NetworkOutputs.open(config, options.alertFormatter());
        } catch (IOException | RuntimeException e) {
            throw new DaemonStartException("outputs: " + e.getMessage(), e);
        }
    }

    private void startPipeline() throws DaemonStartException {
        RecordSink records = networkOutputs.records(recordFile == null ? r -> { } : new RecordLineSink(recordFile));
        AlertSink alerts = networkOutputs.alerts(new AlertLogSink(alertLog.logger(),
                new AlertJsonPlus(options.alertFormatter(), NetworkOutputs.sensorName(config.outputs()))));
        webConsole = LiveConsole.of(config.console());
        if (webConsole != null) {
            records = webConsole.tap(records);
            alerts = webConsole.tap(alerts);
        }
        servers = new ServerTable(config.health().maxTracked());
        RecordSink written = records;
        records = r -> {
            servers.record(r.server(), r.tsMicros(), r.response() == null ? null : r.response().durationUs());
            written.accept(r);
        };
        alertSink = alerts;
        SensorConfig engine;
        try {
            engine = SensorConfigMapper.toSensorConfig(config,
                    options.policy() != null ? options.policy() : new PolicyLoader().forConfig(config));
        } catch (ConfigException e) {
            throw new DaemonStartException("detection.policy: " + e.getMessage(), e);
        }
        MemoryBudget budget = MemoryBudget.of(config);
        LOG.info("memory budget: {} MiB ({} the {} MiB heap); tcp.max_flows {}{}", budget.bytes() >> 20,
                budget.explicitBytes() != null ? "memory.budget_bytes of" : budget.fraction() + " of",
                budget.maxHeapBytes() >> 20, engine.tcp().maxFlows(),
                config.tcp().maxFlows() == null ? " (derived)" : " (configured)");
        KeyLogStore keys = startKeyLogs();
        // Without detection there are no baselines to keep, and a saved state is left as it is for a later switch-on.
        StateStore state = config.detection().on() ? new StateStore(Path.of(config.state().directory())) : null;
        warmUp(engine);
        int threads = config.listen().pipelineThreads();
        pipeline = threads == 1
                ? singlePipeline(engine, records, alerts, keys, state)
                : shardedPipeline(threads, engine, records, alerts, keys, state);
        pipeline.start();
    }

    /** Compiles the hot path before the sockets open (listen.warm_up): a cold JVM loses the first datagrams. */
    private void warmUp(SensorConfig engine) throws DaemonStartException {
        try {
            WarmUp.Result w = WarmUp.run(engine, config.listen().warmUp());
            if (w.passes() > 0) {
                LOG.info("warm-up (listen.warm_up): {} passes over the bundled captures, {} records, {} ms ({} ms CPU)",
                        w.passes(), w.records(), w.millis(), w.cpuMillis());
            }
            warmUpReceivePath(engine);
        } catch (SourceException e) {
            throw new DaemonStartException("warm-up: " + e.getMessage(), e);
        }
    }

    /**
     * The UDP receive path, as the engine above: a fresh JVM interprets it too and falls behind the mirror. Not
     * fatal: without loopback the daemon starts with that path cold.
     */
    private void warmUpReceivePath(SensorConfig engine) throws SourceException {
        DaemonConfig.Listen l = config.listen();
        if (l.warmUp().isZero() || l.warmUp().isNegative() || (l.vxlanPort() == null && l.genevePort() == null)) {
            return;
        }
        try {
            ReceiveWarmUp.Result r = ReceiveWarmUp.run(WarmUp.vxlanPayloads(), l.pipelineThreads(),
                    engine.decap(), options.preferEpoll(),
                    WarmUp.MAX_FACTOR * l.warmUp().toNanos());
            LOG.info("warm-up (listen.warm_up): {} datagrams over loopback through the receive path, {} taken, {} ms",
                    r.sent(), r.received(), r.millis());
        } catch (IOException | RuntimeException e) {
            LOG.warn("warm-up of the receive path skipped: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Pipeline singlePipeline(SensorConfig engine, RecordSink records, AlertSink alerts, KeyLogStore keys,
            StateStore state) {
        if (state == null) {
            Sensor recordsOnly = Sensor.withoutDetection(engine, records, keys, 0, 1);
            FrameQueue queue = new FrameQueue(config.listen().queuePackets());
            return new SinglePipeline(queue, new PipelineLoop(recordsOnly, queue, options.clock(), counters, recordFile,
                    null));
        }
        Sensor sensor = new Sensor(engine, records, alerts, keys);
        state.restoreInto(sensor.detection()); // before the pipeline thread owns the sensor
        FrameQueue queue = new FrameQueue(config.listen().queuePackets());
        return new SinglePipeline(queue, new PipelineLoop(sensor, queue, options.clock(), counters, recordFile, state));
    }

    /** {@code threads} sensors without detection, one detection thread; the queue bound is shared out. */
    private Pipeline shardedPipeline(int threads, SensorConfig engine, RecordSink records, AlertSink alerts,
            KeyLogStore keys, StateStore state) {
        DetectionStage stage = new DetectionStage(engine.detection(), alerts,
                io.dbwire.core.memory.MemoryBudget.of(engine.memory().detectionSlice()));
        if (state != null) {
            state.restoreInto(stage.engine()); // before the detection thread owns it
        }
        int perShard = Math.max(1, config.listen().queuePackets() / threads);
        DetectionLoop detection = new DetectionLoop(stage, config.listen().queuePackets(), options.clock(), counters,
                state);
        // detection.enabled: false keeps the (then idle) detection thread so the pipeline's shape stays the same.
        RecordSink toDetection = state == null ? r -> { } : detection.intake();
        List<FrameQueue> queues = new ArrayList<>();
        List<PipelineLoop> shards = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            FrameQueue queue = new FrameQueue(perShard);
            Sensor sensor = Sensor.withoutDetection(engine, r -> {
                records.accept(r);
                toDetection.accept(r);
            }, keys, i, threads);
            queues.add(queue);
            shards.add(new PipelineLoop(sensor, queue, options.clock(), counters, recordFile, null));
        }
        return new ShardedPipeline(queues, shards, new ShardRouter(queues, engine.decap()), detection);
    }

    /**
     * The key store fed from tls.keylog_directory and the tls.key_listener, or null (no decryption) when neither
     * is set.
     */
    private KeyLogStore startKeyLogs() throws DaemonStartException {
        DaemonConfig.Tls t = config.tls();
        DaemonConfig.KeyListener k = t.keyListener();
        if (t.keylogDirectory() == null && k.port() == null) {
            return null;
        }
        // Packet time is the wall clock at receipt here, so the same clock dates the lines and expires them.
        KeyLogStore store = new KeyLogStore(t.maxSessions(), t.keyTtl().toNanos() / 1_000L);
        if (t.keylogDirectory() != null) {
            keyLogs = KeyLogWatcher.start(new KeyLogDirectory(Path.of(t.keylogDirectory()), store, options.clock()));
            LOG.info("tls key logs: following {}", t.keylogDirectory());
        }
        if (k.port() != null) {
            startKeyListener(k, store);
        }
        return store;
    }

    private void startKeyListener(DaemonConfig.KeyListener k, KeyLogStore store) throws DaemonStartException {
        KeyListenerToken token;
        try {
            token = KeyListenerToken.read(Path.of(k.tokenFile()));
        } catch (ConfigException e) {
            throw new DaemonStartException(e.getMessage(), e);
        }
        try {
            keyListener = KeyListener.start(k.address(), k.port(), token, store, options.clock(),
                    MirrorFilter.of(k.allowedClients(), null));
        } catch (IOException e) {
            throw new DaemonStartException("tls.key_listener.port: cannot listen on " + k.address() + ":" + k.port()
                    + " (" + e.getMessage() + ")", e);
        }
        LOG.info("tls key listener: http://{}:{}/keys", keyListener.address().getHostString(),
                keyListener.address().getPort());
    }

    private void bindUdp() throws DaemonStartException {
        receiver = new UdpReceiver(options.preferEpoll());
        DaemonConfig.Listen l = config.listen();
        trustedMirrors = MirrorFilter.of(l.allowedSources(), l.allowedVnis());
        if (trustedMirrors.sourcesOpen() || trustedMirrors.vnisOpen()) {
            LOG.warn("listen.allowed_sources/allowed_vnis: {} unset, so anyone who can reach the UDP port can inject"
                    + " traffic; set them to your mirror sessions (config/dbwire.yml)",
                    trustedMirrors.sourcesOpen() && trustedMirrors.vnisOpen() ? "both are"
                    : trustedMirrors.sourcesOpen() ? "allowed_sources is" : "allowed_vnis is");
        }
        if (l.vxlanPort() != null) {
            vxlanAddress = bind("listen.vxlan_port", l.vxlanPort(), LinkType.VXLAN_PAYLOAD);
        }
        if (l.genevePort() != null) {
            geneveAddress = bind("listen.geneve_port", l.genevePort(), LinkType.GENEVE_PAYLOAD);
        }
    }

    private InetSocketAddress bind(String key, int port, LinkType type) throws DaemonStartException {
        DaemonConfig.Listen l = config.listen();
        try {
            SourceTable sources = new SourceTable(config.health().maxTracked());
            sourceTables.add(sources);
            return receiver.bind(l.address(), port, l.receiveBufferBytes(),
                    new DatagramHandler(pipeline.intake(), type, options.clock(), counters, trustedMirrors,
                            sources));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DaemonStartException(key + ": interrupted while binding", e);
        } catch (Exception e) {
            // Netty's sync() rethrows the bind's IOException without declaring it (e.g. address in use).
            throw new DaemonStartException(key + ": cannot bind udp " + l.address() + ":" + port + " (" + e.getMessage() + ")", e);
        }
    }

    private void startCapture() throws DaemonStartException {
        DaemonConfig.Capture c = config.capture();
        if (c.interfaceName() == null) {
            return;
        }
        try {
            capture = LiveCapture.open(c.interfaceName(), c.snaplen(), c.promiscuous(), c.filter(), pipeline.intake(), counters);
        } catch (SourceException e) {
            throw new DaemonStartException(e.getMessage(), e);
        }
    }

    private void startHealth() {
        DaemonConfig.Health h = config.health();
        SilenceWatch silence = new SilenceWatch(new SilenceWatch.Settings(h.minSilence().toNanos() / 1_000,
                h.silenceIntervals(), h.steadyAfter().toNanos() / 1_000, SilenceWatch.MIN_OBSERVATIONS));
        LossWatch loss = new LossWatch(h.maxLossRatio(), LOSS_MIN_VOLUME);
        healthMonitor = new HealthMonitor(sourceTables, servers, silence, loss, this::lossTotals, counters::datagrams,
                h.maxSilence().toNanos() / 1_000, options.clock(), alertSink)
                .start(healthPeriodMillis(h.minSilence()));
    }

    /** Often enough to notice a silence soon after min_silence, rarely enough to cost nothing. */
    static long healthPeriodMillis(Duration minSilence) {
        return Math.max(100, Math.min(10_000, minSilence.toMillis() / 4));
    }

    private LossWatch.Totals lossTotals() {
        Map<String, Long> c = sensorStats().counters();
        long kernelDrops = Math.max(0, captureKernelDrops());
        long received = counters.datagrams() + c.getOrDefault("tcp.segments", 0L);
        long lost = counters.queueFullDrops() + counters.receiveErrors() + kernelDrops
                + c.getOrDefault("tcp.gap_events", 0L);
        return new LossWatch.Totals(received, lost);
    }

    private void startHttp() throws DaemonStartException {
        DaemonConfig.Metrics m = config.metrics();
        if (m.port() == null) {
            return;
        }
        try {
            metrics = MetricsServer.start(m.address(), m.port(), this);
        } catch (IOException e) {
            throw new DaemonStartException("metrics.port: cannot listen on " + m.address() + ":" + m.port() + " (" + e.getMessage() + ")", e);
        }
    }

    private void startConsole() throws DaemonStartException {
        if (webConsole == null) {
            return;
        }
        DaemonConfig.Console c = config.console();
        try {
            webConsole.serve(this, options.clock());
        } catch (ConfigException e) {
            throw new DaemonStartException(e.getMessage(), e);
        } catch (IOException e) {
            throw new DaemonStartException("console.port: cannot listen on " + c.address() + ":" + c.port() + " ("
                    + e.getMessage() + ")", e);
        }
    }

    /**
     * Reopens the alert and records files by name (SIGHUP: logrotate moved them). Lines are never cut: both
     * writers swap files between two lines.
     */
    public void reopenFiles() {
        try {
            if (alertLog != null) {
                alertLog.reopen();
            }
            if (recordFile != null) {
                recordFile.reopen();
            }
            LOG.info("reopened alert and record files");
        } catch (IOException | RuntimeException e) {
            LOG.error("cannot reopen alert or record file: {}", e.toString());
        }
    }

    /** Idempotent; safe from a shutdown hook. Returns when sinks are flushed and closed. */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            awaitStopped();
            return;
        }
        try {
            if (reporter != null) {
                reporter.close();
            }
            if (healthMonitor != null) {
                healthMonitor.close();
            }
            if (receiver != null) {
                receiver.close();
            }
            if (capture != null) {
                capture.close();
            }
            drainPipeline();
            if (keyLogs != null) {
                keyLogs.close();
            }
            if (keyListener != null) {
                keyListener.close();
            }
            if (metrics != null) {
                metrics.close();
            }
            if (webConsole != null) {
                webConsole.close();
            }
            if (recordFile != null) {
                closeRecordFile();
            }
            if (networkOutputs != null) {
                networkOutputs.close();
            }
            if (pipeline != null) {
                LOG.info("dbwire stopped: {}", StatsReporter.line(this));
            }
            if (alertLog != null) {
                alertLog.close();
            }
        } finally {
            stoppedLatch.countDown();
        }
    }

    private void closeRecordFile() {
        try {
            recordFile.close();
        } catch (java.io.UncheckedIOException e) {
            LOG.error("records.file: the last records could not be written ({}); {} lost in all",
                    e.getCause().getMessage(), recordFile.droppedLines());
        }
    }

    private void drainPipeline() {
        if (pipeline == null) {
            return;
        }
        try {
            if (!pipeline.drainAndFinish(DRAIN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("pipeline did not drain within {} s; {} items left", DRAIN_TIMEOUT_SECONDS,
                        pipeline.queueDepth());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public void awaitStopped() {
        try {
            stoppedLatch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public InetSocketAddress vxlanAddress() {
        return vxlanAddress;
    }

    public InetSocketAddress geneveAddress() {
        return geneveAddress;
    }

    /** The key listener's bound address, or null when it is off. */
    public InetSocketAddress keyListenerAddress() {
        return keyListener == null ? null : keyListener.address();
    }

    /** The console's bound address, or null when it is off. */
    public InetSocketAddress consoleAddress() {
        return webConsole == null ? null : webConsole.address();
    }

    /** The console's feed (tests wait on it), or null when the console is off. */
    public ConsoleFeed consoleFeed() {
        return webConsole == null ? null : webConsole.feed();
    }

    /** The bound HTTP address, or null when metrics are off. */
    public InetSocketAddress metricsAddress() {
        return metrics == null ? null : metrics.address();
    }

    public String transport() {
        return receiver == null ? "none" : receiver.transport();
    }

    @Override
    public SensorStats sensorStats() {
        return pipeline == null ? SensorStats.EMPTY : pipeline.stats();
    }

    @Override
    public DaemonCounters counters() {
        return counters;
    }

    @Override
    public int queueDepth() {
        return pipeline == null ? 0 : pipeline.queueDepth();
    }

    @Override
    public KeyListener.Stats keyListenerStats() {
        return keyListener == null ? null : keyListener.stats();
    }

    @Override
    public java.util.Map<String, io.dbwire.daemon.http.HttpCounts> httpServers() {
        java.util.Map<String, io.dbwire.daemon.http.HttpCounts> out = new java.util.TreeMap<>();
        if (metrics != null) {
            out.put("metrics", metrics.endpoint().counts());
        }
        if (webConsole != null && webConsole.httpCounts() != null) {
            out.put("console", webConsole.httpCounts());
        }
        if (keyListener != null) {
            out.put("key_listener", keyListener.http().counts());
        }
        return out;
    }

    @Override
    public KafkaOutputStats kafkaStats() {
        return networkOutputs == null ? null : networkOutputs.kafkaStats();
    }

    @Override
    public SyslogOutput.Stats syslogStats() {
        return networkOutputs == null ? null : networkOutputs.syslogStats();
    }

    @Override
    public ConsoleCounts console() {
        return webConsole == null ? null : webConsole.counts();
    }

    @Override
    public long nowMicros() {
        return options.clock().nowMicros();
    }

    @Override
    public Health health() {
        Health coverage = healthMonitor == null ? Health.STARTING : healthMonitor.health();
        return OutputHealth.withOutputs(coverage, outputs(), alertSpool());
    }

    @Override
    public AlertLog.SpoolStatus alertSpool() {
        AlertLog.Status a = alertLog == null ? null : alertLog.status();
        return a == null ? null : a.spool();
    }

    @Override
    public List<OutputStatus> outputs() {
        List<OutputStatus> out = new ArrayList<>(2);
        if (recordFile != null) {
            out.add(new OutputStatus("records", config.records().file(), recordFile.failedWrites(),
                    recordFile.droppedLines(), 0, recordFile.failure()));
        }
        AlertLog.Status a = alertLog == null ? null : alertLog.status();
        if (a != null) {
            out.add(new OutputStatus("alerts", a.file(), a.failedWrites(), a.dropped(), a.pending(), a.failure()));
        }
        return out;
    }

    @Override
    public List<Activity> activities() {
        return healthMonitor == null ? List.of() : healthMonitor.activities();
    }

    @Override
    public boolean silent(Activity a) {
        return healthMonitor != null && healthMonitor.silent(a);
    }

    @Override
    public Map<String, LatencyHistogram> latencies() {
        return servers == null ? Map.of() : servers.latencies();
    }

    @Override
    public long captureKernelDrops() {
        return capture == null ? -1 : capture.kernelDrops();
    }

    /** Runs the coverage checks now instead of on the timer (tests). */
    public void checkHealthNow() {
        healthMonitor.check();
    }

    @Override
    public boolean healthy() {
        return pipeline != null && pipeline.alive() && !stopped.get();
    }

    @Override
    public long uptimeSeconds() {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedNanos);
    }
}
