package io.dbwire.daemon.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The whole of dbwire.yml, one nested record per top-level section. Field names map to snake_case keys
 * ({@code vxlanPort} is {@code vxlan_port}); every key is documented in config/dbwire.yml. Values are checked by
 * {@link ConfigValidator}, never here, so that a bad value is reported with its key.
 */
public record DaemonConfig(
        Listen listen,
        Capture capture,
        Decap decap,
        Protocols protocols,
        Tcp tcp,
        Records records,
        Alerts alerts,
        Detection detection,
        Metrics metrics,
        State state,
        Tls tls,
        Outputs outputs,
        Console console,
        Health health,
        Detect detect,
        Memory memory) {

    /**
     * UDP receive side of {@code run}. A null {@code genevePort} means no GENEVE listener. {@code allowedSources}
     * (CIDRs) and {@code allowedVnis}: the trusted mirrors; null (the default) lets any sender or VNI in.
     * {@code warmUp}: CPU time the engine runs over bundled captures before the sockets open (0: not at all).
     */
    public record Listen(
            String address, Integer vxlanPort, Integer genevePort, Integer receiveBufferBytes, Integer queuePackets,
            Integer pipelineThreads, List<String> allowedSources, List<Integer> allowedVnis, Duration warmUp) {}

    /**
     * Live capture on a local interface (on-prem SPAN/TAP), besides or instead of the VXLAN listener.
     *
     * @param interfaceName the interface, or null for no live capture
     * @param filter        a BPF expression (tcpdump syntax), or null for every packet
     */
    public record Capture(
            @JsonProperty("interface") String interfaceName, Integer snaplen, Boolean promiscuous, String filter) {}

    public record Decap(List<Integer> vxlanPorts, List<Integer> genevePorts, Integer maxTunnelDepth) {}

    public record Ports(List<Integer> ports) {}

    /** @param bindParameters whether bind parameter values are put into statement text (then redacted per records.statement) */
    public record Postgres(List<Integer> ports, Boolean bindParameters) {}

    /** @param detectOtherPorts recognise PostgreSQL and MySQL by content on connections to unlisted ports */
    public record Protocols(Postgres postgresql, Ports mysql, Integer maxMessageBytes, Boolean detectOtherPorts) {}

    /** @param reorderWindowMs how long a hole the peer acknowledged may wait for late packets (docs/reassembly.md) */
    public record Tcp(Integer maxFlows, Integer maxBufferedBytesPerFlow, Long maxBufferedBytesTotal,
            Duration idleTimeout, Integer reorderWindowMs) {}

    /** {@code file} null means records are not written by {@code run}; {@code rotation} null means never rolled over. */
    public record Records(String statement, Integer maxStatementBytes, String file, Rotation rotation) {}

    /** {@code file} null means alerts go to standard output; {@code rotation} null means never rolled over. */
    public record Alerts(String file, Rotation rotation) {}

    /**
     * Built-in rollover of a JSON-lines file: at midnight UTC and when it reaches {@code maxFileBytes}; rolled-over
     * files are named {@code FILE.yyyy-MM-dd.N}, kept {@code keepDays} days and {@code totalBytes} in all.
     */
    public record Rotation(Long maxFileBytes, Integer keepDays, Long totalBytes) {
        public static final Rotation DEFAULT = new Rotation(100L << 20, 14, 1L << 30);
    }

    public record Toggle(Boolean enabled) {}

    public record Bruteforce(Boolean enabled, Integer threshold, Duration window) {}

    /** One {@code risky_statement} rule; see DetectionConfig.RiskyRule. */
    public record RiskyRule(String name, String pattern, String severity, String mitre, Boolean learnable) {}

    /** An empty {@code rules} list means the built-in rules. */
    public record RiskyStatement(Boolean enabled, List<RiskyRule> rules) {}

    public record Detection(
            Duration learningPeriod,
            Duration suppression,
            Integer maxEntities,
            Integer maxEvidence,
            Toggle newClient,
            Bruteforce authBruteforce,
            Toggle dataStaging,
            Toggle newUser,
            Toggle errorBurst,
            RiskyStatement riskyStatement,
            Toggle newStatement,
            Toggle latencyRegression,
            Toggle rateSpike,
            Toggle tlsDowngrade,
            Boolean enabled,
            String policy,
            SensitiveData sensitiveData) {
        /** {@code enabled: false}: the sensor only produces records and leaves alerting to {@code dbwire detect}. */
        public boolean on() {
            return !Boolean.FALSE.equals(enabled);
        }
    }

    /**
     * The opt-in scan of result rows for card numbers, national identifiers and e-mail addresses (counted on
     * records as {@code response.sensitive}, never kept) and its {@code sensitive_data_read} detection.
     */
    public record SensitiveData(Boolean enabled, Integer maxRowBytes, Long maxRowsPerStatement) {}

    /** A null {@code port} turns the HTTP metrics and health endpoint off. */
    public record Metrics(String address, Integer port) {}

    /**
     * @param directory          state kept across restarts (baselines, spools)
     * @param alertSpoolMaxBytes size of directory/alert-spool.jsonl (alerts the alert file could not take) beyond
     *                           which alerts are held in memory only
     */
    public record State(String directory, Long alertSpoolMaxBytes) {}

    /**
     * Decryption keys for TLS sessions (docs/tls.md).
     *
     * @param keylogDirectory directory of NSS key log files that {@code run} tails; null = no decryption
     * @param keyTtl          how long a session's secrets are kept after their first line (packet time)
     * @param maxSessions     sessions whose secrets are kept at once; beyond it the oldest go
     * @param keyListener     the HTTP endpoint where key forwarders POST key log lines
     */
    public record Tls(String keylogDirectory, Duration keyTtl, Integer maxSessions, KeyListener keyListener) {}

    /**
     * {@code POST /keys} for key forwarders (docs/tls.md). A null {@code port} turns it off; with a port,
     * {@code tokenFile} names the file holding the shared bearer token (read at start, never logged).
     */
    public record KeyListener(String address, Integer port, String tokenFile, List<String> allowedClients) {}

    /**
     * Outputs besides the local files (docs/outputs.md), for a log pipeline or a SIEM. Each is off while its
     * address ({@code bootstrap_servers}, {@code host}) is null.
     *
     * @param sensorName the {@code sensor} named in every alert; null = the host name
     */
    public record Outputs(String sensorName, Kafka kafka, Syslog syslog) {}

    /**
     * A Kafka producer for records and alerts.
     *
     * @param recordKey     {@code server} (ip:port) or {@code connection} (ip:port/connection id)
     * @param bufferRecords records held while the broker is slow or away; beyond it they are dropped and counted
     * @param maxSpoolBytes alert spool (state.directory/kafka-alerts.spool) size beyond which alerts are refused
     * @param properties    further producer properties (security.protocol, sasl.*, ssl.*), passed as they are
     */
    public record Kafka(
            String bootstrapServers, String recordsTopic, String alertsTopic, String recordKey, String acks,
            String compression, Integer bufferRecords, Long maxSpoolBytes, String recordFormat, String alertFormat,
            Map<String, String> properties) {}

    /**
     * Alerts to a syslog receiver (RFC 5424).
     *
     * @param transport {@code tcp} (RFC 6587 octet counting), {@code tls} (the same inside TLS) or {@code udp}
     * @param caFile    PEM file of the CA that signed the receiver's certificate; null = the JVM's trust store
     */
    public record Syslog(
            String host, Integer port, String transport, String format, String appName, String caFile,
            Integer bufferAlerts) {}

    /**
     * The web console of {@code run} (docs/console.md). A null {@code port} turns it off; {@code tokenFile} names
     * the file holding its token, required when {@code address} is not a loopback address.
     */
    public record Console(String address, Integer port, String tokenFile) {}

    /**
     * Coverage checks of {@code run} (docs/troubleshooting.md).
     *
     * @param maxSilence     /health is degraded when no packet arrived for this long
     * @param maxLossRatio   /health is degraded and {@code capture_loss} raised above this share of lost input
     * @param minSilence     shortest silence of a steady source or server that raises {@code mirror_silence}
     * @param silenceIntervals usual intervals between its packets (or records) that make a silence
     * @param steadyAfter    how long a source or server must have been heard before its silence counts
     * @param maxTracked     sources and servers tracked each; beyond it new ones are only counted
     */
    public record Health(Duration maxSilence, Double maxLossRatio, Duration minSilence, Integer silenceIntervals,
            Duration steadyAfter, Integer maxTracked) {}

    /**
     * Central detection, {@code dbwire detect} (docs/scale.md): records of many sensors from Kafka, alerts to the
     * alert outputs.
     *
     * @param bootstrapServers  the brokers; null = outputs.kafka.bootstrap_servers
     * @param recordsTopics     topics of records (record_format json) to consume
     * @param groupId           consumer group shared by every detect instance
     * @param detectingSensors  {@code skip}: records of sensors that run detection themselves are not alerted on
     *                          again; {@code include}: they are
     * @param reorderWindow     packet time a partition's records are held to be put in order across sensors
     * @param maxHeldRecords    records held per partition for that; beyond it the oldest is released early
     * @param commitInterval    how often offsets are committed (after the alerts are handed off)
     * @param snapshotInterval  how often each partition's detection state is written
     * @param stateDirectory    where the per-partition state goes; null = state.directory. Shared by the instances
     *                          so that one taking over a partition resumes its baselines
     * @param properties        further consumer properties (security.protocol, sasl.*, ssl.*)
     */
    public record Detect(
            String bootstrapServers, List<String> recordsTopics, String groupId, String detectingSensors,
            Duration reorderWindow, Integer maxHeldRecords, Duration commitInterval, Duration snapshotInterval,
            String stateDirectory, Map<String, String> properties) {}

    /**
     * The memory budget: {@code maxHeapFraction} of the JVM's maximum heap that the engine's bounded state may
     * take, or {@code budgetBytes} when set; bounds left null (tcp.max_flows) are derived from it
     * ({@link MemoryBudget}), and every table and buffer of the engine draws from it (docs/operations.md).
     */
    public record Memory(Double maxHeapFraction, Long budgetBytes) {}

    /** The built-in defaults; config/dbwire.yml states the same values (a test holds them equal). */
    public static DaemonConfig defaults() {
        return new DaemonConfig(
                new Listen("0.0.0.0", 4789, null, 64 << 20, 65_536, 1, null, null, Duration.ofSeconds(2)),
                new Capture(null, 262_144, true, null),
                new Decap(List.of(4789), List.of(6081), 2),
                new Protocols(new Postgres(List.of(5432), false), new Ports(List.of(3306)), 64 << 20, true),
                new Tcp(null, 1 << 20, 256L << 20, Duration.ofMinutes(10), 10),
                new Records("normalized", 16_384, null, Rotation.DEFAULT),
                new Alerts("/var/log/dbwire/alerts.jsonl", Rotation.DEFAULT),
                new Detection(
                        Duration.ofHours(1),
                        Duration.ofHours(1),
                        100_000,
                        5,
                        new Toggle(true),
                        new Bruteforce(true, 10, Duration.ofMinutes(5)),
                        new Toggle(true),
                        new Toggle(true),
                        new Toggle(true),
                        new RiskyStatement(true, List.of()),
                        new Toggle(true),
                        new Toggle(true),
                        new Toggle(true),
                        new Toggle(true),
                        true,
                        null,
                        new SensitiveData(false, 4096, 100_000L)),
                new Metrics("127.0.0.1", 9108),
                new State("/var/lib/dbwire", 256L << 20),
                new Tls(null, Duration.ofMinutes(5), 100_000, new KeyListener("127.0.0.1", null, null, null)),
                new Outputs(null,
                        new Kafka(null, "dbwire.records", "dbwire.alerts", "server", "all", "lz4", 100_000,
                                1L << 30, "json", "json", Map.of()),
                        new Syslog(null, null, "tcp", "json", "dbwire", null, 10_000)),
                new Console("127.0.0.1", 9180, null),
                new Health(Duration.ofMinutes(5), 0.01, Duration.ofMinutes(1), 5, Duration.ofMinutes(10), 4_096),
                new Detect(null, List.of("dbwire.records"), "dbwire-detect", "skip", Duration.ofSeconds(2), 100_000,
                        Duration.ofSeconds(1), Duration.ofMinutes(5), null, Map.of()),
                new Memory(0.5, null));
    }
}
