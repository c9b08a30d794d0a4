package io.dbwire.daemon.config;

import io.dbwire.daemon.trust.MirrorFilter;
import io.netty.util.NetUtil;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** Checks every value of a bound {@link DaemonConfig}; the first bad one is reported with its key. */
final class ConfigValidator {
    static final Set<String> STATEMENT_MODES = Set.of("normalized", "full", "off");
    static final Set<String> SEVERITIES = Set.of("info", "low", "medium", "high", "critical");
    private static final int MAX_PORT = 65_535;
    /** More nesting than this is not a real deployment; it only lets a hostile packet cost more work. */
    private static final int MAX_TUNNEL_DEPTH = 8;
    private static final int MAX_PIPELINE_THREADS = 64;

    private ConfigValidator() {}

    static void validate(DaemonConfig c) throws ConfigException {
        section("listen", c.listen());
        ipAddress("listen.address", c.listen().address());
        section("capture", c.capture());
        if (c.listen().vxlanPort() != null) {
            port("listen.vxlan_port", c.listen().vxlanPort(), true);
        } else if (c.capture().interfaceName() == null) {
            throw bad("listen.vxlan_port", null, "a port, unless capture.interface is set");
        }
        if (c.listen().genevePort() != null) {
            port("listen.geneve_port", c.listen().genevePort(), true);
        }
        positive("listen.receive_buffer_bytes", c.listen().receiveBufferBytes());
        positive("listen.queue_packets", c.listen().queuePackets());
        range("listen.pipeline_threads", c.listen().pipelineThreads(), 1, MAX_PIPELINE_THREADS);
        nonNegativeDuration("listen.warm_up", c.listen().warmUp());
        mirrorFilter(c.listen());

        if (c.capture().interfaceName() != null && c.capture().interfaceName().isBlank()) {
            throw bad("capture.interface", "\"" + c.capture().interfaceName() + "\"", "an interface name or null");
        }
        range("capture.snaplen", c.capture().snaplen(), 64, 262_144);
        bool("capture.promiscuous", c.capture().promiscuous());

        section("decap", c.decap());
        ports("decap.vxlan_ports", c.decap().vxlanPorts());
        ports("decap.geneve_ports", c.decap().genevePorts());
        range("decap.max_tunnel_depth", c.decap().maxTunnelDepth(), 0, MAX_TUNNEL_DEPTH);

        section("protocols", c.protocols());
        section("protocols.postgresql", c.protocols().postgresql());
        ports("protocols.postgresql.ports", c.protocols().postgresql().ports());
        bool("protocols.postgresql.bind_parameters", c.protocols().postgresql().bindParameters());
        section("protocols.mysql", c.protocols().mysql());
        ports("protocols.mysql.ports", c.protocols().mysql().ports());
        positive("protocols.max_message_bytes", c.protocols().maxMessageBytes());
        bool("protocols.detect_other_ports", c.protocols().detectOtherPorts());

        section("tcp", c.tcp());
        if (c.tcp().maxFlows() != null) { // null: derived from memory.max_heap_fraction
            positive("tcp.max_flows", c.tcp().maxFlows());
        }
        section("memory", c.memory());
        Double fraction = c.memory().maxHeapFraction();
        if (fraction == null || !(fraction >= MemoryBudget.MIN_FRACTION && fraction <= MemoryBudget.MAX_FRACTION)) {
            throw bad("memory.max_heap_fraction", fraction, "a number from " + MemoryBudget.MIN_FRACTION + " to "
                    + MemoryBudget.MAX_FRACTION);
        }
        if (c.memory().budgetBytes() != null && c.memory().budgetBytes() < MemoryBudget.MIN_BUDGET_BYTES) {
            throw bad("memory.budget_bytes", c.memory().budgetBytes(), "null or at least "
                    + MemoryBudget.MIN_BUDGET_BYTES);
        }
        positive("tcp.max_buffered_bytes_per_flow", c.tcp().maxBufferedBytesPerFlow());
        positive("tcp.max_buffered_bytes_total", c.tcp().maxBufferedBytesTotal());
        positiveDuration("tcp.idle_timeout", c.tcp().idleTimeout());
        range("tcp.reorder_window_ms", c.tcp().reorderWindowMs(), 0, 10_000);

        section("records", c.records());
        String mode = c.records().statement();
        if (mode == null || !STATEMENT_MODES.contains(mode)) {
            throw bad("records.statement", mode, "one of normalized, full, off");
        }
        positive("records.max_statement_bytes", c.records().maxStatementBytes());
        optionalPath("records.file", c.records().file());
        rotation("records.rotation", c.records().rotation());

        section("alerts", c.alerts());
        optionalPath("alerts.file", c.alerts().file());
        rotation("alerts.rotation", c.alerts().rotation());

        section("detection", c.detection());
        DaemonConfig.Detection d = c.detection();
        nonNegativeDuration("detection.learning_period", d.learningPeriod());
        nonNegativeDuration("detection.suppression", d.suppression());
        positive("detection.max_entities", d.maxEntities());
        range("detection.max_evidence", d.maxEvidence(), 0, 1_000);
        section("detection.new_client", d.newClient());
        bool("detection.new_client.enabled", d.newClient().enabled());
        section("detection.auth_bruteforce", d.authBruteforce());
        bool("detection.auth_bruteforce.enabled", d.authBruteforce().enabled());
        positive("detection.auth_bruteforce.threshold", d.authBruteforce().threshold());
        positiveDuration("detection.auth_bruteforce.window", d.authBruteforce().window());
        toggle("detection.data_staging", d.dataStaging());
        toggle("detection.new_user", d.newUser());
        toggle("detection.error_burst", d.errorBurst());
        section("detection.risky_statement", d.riskyStatement());
        bool("detection.risky_statement.enabled", d.riskyStatement().enabled());
        riskyRules("detection.risky_statement.rules", d.riskyStatement().rules());
        toggle("detection.new_statement", d.newStatement());
        toggle("detection.latency_regression", d.latencyRegression());
        toggle("detection.rate_spike", d.rateSpike());
        toggle("detection.tls_downgrade", d.tlsDowngrade());
        bool("detection.enabled", d.enabled());
        section("detection.sensitive_data", d.sensitiveData());
        bool("detection.sensitive_data.enabled", d.sensitiveData().enabled());
        range("detection.sensitive_data.max_row_bytes", d.sensitiveData().maxRowBytes(), 16, 16_384);
        positive("detection.sensitive_data.max_rows_per_statement", d.sensitiveData().maxRowsPerStatement());

        section("metrics", c.metrics());
        ipAddress("metrics.address", c.metrics().address());
        if (c.metrics().port() != null) {
            port("metrics.port", c.metrics().port(), true);
        }

        section("state", c.state());
        if (c.state().directory() == null || c.state().directory().isBlank()) {
            throw bad("state.directory", c.state().directory(), "a directory path");
        }
        if (c.state().alertSpoolMaxBytes() == null || c.state().alertSpoolMaxBytes() <= 0) {
            throw bad("state.alert_spool_max_bytes", c.state().alertSpoolMaxBytes(), "a positive number of bytes");
        }

        section("tls", c.tls());
        optionalPath("tls.keylog_directory", c.tls().keylogDirectory());
        positiveDuration("tls.key_ttl", c.tls().keyTtl());
        positive("tls.max_sessions", c.tls().maxSessions());
        keyListener(c.tls().keyListener());
        keyListenerClients(c.tls().keyListener());
        OutputsValidator.validate(c.outputs());
        console(c.console());
        health(c.health());
        DetectValidator.validate(c.detect());
    }

    /** A console reachable from other hosts must ask for a token; the token file's content is checked at start. */
    private static void console(DaemonConfig.Console k) throws ConfigException {
        section("console", k);
        ipAddress("console.address", k.address());
        optionalPath("console.token_file", k.tokenFile());
        if (k.port() == null) {
            return;
        }
        port("console.port", k.port(), true);
        if (k.tokenFile() == null && !loopback(k.address())) {
            throw bad("console.token_file", null,
                    "a file holding the console's token when console.address is not a loopback address");
        }
    }

    private static boolean loopback(String address) {
        try {
            return java.net.InetAddress.getByName(address).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static void health(DaemonConfig.Health h) throws ConfigException {
        section("health", h);
        positiveDuration("health.max_silence", h.maxSilence());
        if (h.maxLossRatio() == null || !(h.maxLossRatio() > 0 && h.maxLossRatio() < 1)) {
            throw bad("health.max_loss_ratio", h.maxLossRatio(), "a number between 0 and 1, e.g. 0.01");
        }
        positiveDuration("health.min_silence", h.minSilence());
        positive("health.silence_intervals", h.silenceIntervals());
        positiveDuration("health.steady_after", h.steadyAfter());
        positive("health.max_tracked", h.maxTracked());
    }

    /** The token file's content is checked when the daemon starts (it may be readable by the daemon only). */
    private static void keyListener(DaemonConfig.KeyListener k) throws ConfigException {
        section("tls.key_listener", k);
        ipAddress("tls.key_listener.address", k.address());
        optionalPath("tls.key_listener.token_file", k.tokenFile());
        if (k.port() == null) {
            return;
        }
        port("tls.key_listener.port", k.port(), true);
        if (k.tokenFile() == null) {
            throw bad("tls.key_listener.token_file", null, "a file holding the forwarders' token when tls.key_listener.port is set");
        }
    }

    private static void toggle(String key, DaemonConfig.Toggle t) throws ConfigException {
        section(key, t);
        bool(key + ".enabled", t.enabled());
    }

    private static void riskyRules(String key, List<DaemonConfig.RiskyRule> rules) throws ConfigException {
        if (rules == null) {
            throw bad(key, null, "a list of rules (empty = the built-in rules)");
        }
        Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < rules.size(); i++) {
            String k = key + "[" + i + "]";
            DaemonConfig.RiskyRule r = rules.get(i);
            section(k, r);
            if (r.name() == null || !r.name().matches("[a-z0-9_]{1,64}") || !names.add(r.name())) {
                throw bad(k + ".name", r.name(), "a unique name of a-z, 0-9, _");
            }
            if (r.pattern() == null || r.pattern().isEmpty()) {
                throw bad(k + ".pattern", r.pattern(), "a regular expression");
            }
            try {
                java.util.regex.Pattern.compile(r.pattern());
            } catch (java.util.regex.PatternSyntaxException e) {
                throw bad(k + ".pattern", r.pattern(), "a valid Java regular expression: " + e.getDescription());
            }
            if (r.severity() == null || !SEVERITIES.contains(r.severity().toLowerCase(java.util.Locale.ROOT))) {
                throw bad(k + ".severity", r.severity(), "one of info, low, medium, high, critical");
            }
            if (r.mitre() == null || !r.mitre().matches("T[0-9]{4}(\\.[0-9]{3})?")) {
                throw bad(k + ".mitre", r.mitre(), "a MITRE ATT&CK technique id like T1190 or T1110.004");
            }
            bool(k + ".learnable", r.learnable());
        }
    }

    static void keyListenerClients(DaemonConfig.KeyListener k) throws ConfigException {
        try {
            MirrorFilter.of(k.allowedClients(), null);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("tls.key_listener.allowed_clients: " + e.getMessage());
        }
    }

    private static void mirrorFilter(DaemonConfig.Listen l) throws ConfigException {
        try {
            MirrorFilter.of(l.allowedSources(), null);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("listen.allowed_sources: " + e.getMessage());
        }
        try {
            MirrorFilter.of(null, l.allowedVnis());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("listen.allowed_vnis: " + e.getMessage());
        }
    }

    static ConfigException bad(String key, Object value, String expected) {
        return new ConfigException(key + ": " + value + " (expected: " + expected + ")");
    }

    static void section(String key, Object value) throws ConfigException {
        if (value == null) {
            throw bad(key, null, "a mapping");
        }
    }

    static void positive(String key, Number value) throws ConfigException {
        if (value == null || value.longValue() <= 0) {
            throw bad(key, value, "a positive integer");
        }
    }

    static void range(String key, Integer value, int min, int max) throws ConfigException {
        if (value == null || value < min || value > max) {
            throw bad(key, value, "an integer from " + min + " to " + max);
        }
    }

    static void port(String key, Integer value, boolean zeroAllowed) throws ConfigException {
        range(key, value, zeroAllowed ? 0 : 1, MAX_PORT);
    }

    private static void ports(String key, List<Integer> values) throws ConfigException {
        if (values == null) {
            throw bad(key, null, "a list of ports");
        }
        for (int i = 0; i < values.size(); i++) {
            port(key + "[" + i + "]", values.get(i), false);
        }
    }

    /** Null is allowed (no rotation); otherwise every bound must be set and positive. */
    private static void rotation(String key, DaemonConfig.Rotation r) throws ConfigException {
        if (r == null) {
            return;
        }
        if (r.maxFileBytes() == null || r.maxFileBytes() < 1024) {
            throw bad(key + ".max_file_bytes", r.maxFileBytes(), "an integer of at least 1024");
        }
        positive(key + ".keep_days", r.keepDays());
        if (r.totalBytes() == null || r.totalBytes() < r.maxFileBytes()) {
            throw bad(key + ".total_bytes", r.totalBytes(), "an integer of at least max_file_bytes");
        }
    }

    private static void bool(String key, Boolean value) throws ConfigException {
        if (value == null) {
            throw bad(key, null, "true or false");
        }
    }

    private static void positiveDuration(String key, Duration value) throws ConfigException {
        if (value == null || value.isZero() || value.isNegative()) {
            throw bad(key, value == null ? null : DurationText.format(value), "a positive " + DurationText.EXPECTED);
        }
    }

    private static void nonNegativeDuration(String key, Duration value) throws ConfigException {
        if (value == null || value.isNegative()) {
            throw bad(key, null, DurationText.EXPECTED);
        }
    }

    private static void ipAddress(String key, String value) throws ConfigException {
        if (value == null || !(NetUtil.isValidIpV4Address(value) || NetUtil.isValidIpV6Address(value))) {
            throw bad(key, value, "an IPv4 or IPv6 address");
        }
    }

    static void optionalPath(String key, String value) throws ConfigException {
        if (value != null && value.isBlank()) {
            throw bad(key, "\"" + value + "\"", "a file path or null");
        }
    }
}
