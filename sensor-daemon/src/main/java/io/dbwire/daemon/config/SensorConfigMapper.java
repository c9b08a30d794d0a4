package io.dbwire.daemon.config;

import io.dbwire.core.config.DecapConfig;
import io.dbwire.core.config.DetectionConfig;
import io.dbwire.core.config.PolicyConfig;
import io.dbwire.core.config.ProtocolConfig;
import io.dbwire.core.config.SensitiveScanConfig;
import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.config.StatementMode;
import io.dbwire.core.config.TcpConfig;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/** Builds the engine's {@link SensorConfig} from a validated {@link DaemonConfig}: units become microseconds. */
public final class SensorConfigMapper {
    private SensorConfigMapper() {}

    /** The engine's settings with the DAM policy read from {@code detection.policy} (see {@link PolicyLoader}). */
    public static SensorConfig toSensorConfig(DaemonConfig c, PolicyConfig policy) {
        SensorConfig s = toSensorConfig(c);
        return new SensorConfig(s.decap(), s.tcp(), s.protocols(), s.detection().withPolicy(policy), s.memory());
    }

    /** The engine's settings without a policy. */
    public static SensorConfig toSensorConfig(DaemonConfig c) {
        DaemonConfig.Detection d = c.detection();
        return new SensorConfig(
                new DecapConfig(
                        Set.copyOf(c.decap().vxlanPorts()),
                        Set.copyOf(c.decap().genevePorts()),
                        c.decap().maxTunnelDepth()),
                new TcpConfig(
                        c.tcp().maxFlows() != null ? c.tcp().maxFlows() : MemoryBudget.of(c).maxFlows(),
                        c.tcp().maxBufferedBytesPerFlow(),
                        c.tcp().maxBufferedBytesTotal(),
                        micros(c.tcp().idleTimeout()),
                        c.tcp().reorderWindowMs() * 1_000L),
                new ProtocolConfig(
                        Set.copyOf(c.protocols().postgresql().ports()),
                        Set.copyOf(c.protocols().mysql().ports()),
                        StatementMode.valueOf(c.records().statement().toUpperCase(Locale.ROOT)),
                        c.records().maxStatementBytes(),
                        c.protocols().maxMessageBytes(),
                        c.protocols().postgresql().bindParameters(),
                        c.protocols().detectOtherPorts(),
                        new SensitiveScanConfig(d.sensitiveData().enabled(), d.sensitiveData().maxRowBytes(),
                                d.sensitiveData().maxRowsPerStatement())),
                new DetectionConfig(
                        micros(d.learningPeriod()),
                        d.newClient().enabled(),
                        d.authBruteforce().enabled(),
                        d.authBruteforce().threshold(),
                        micros(d.authBruteforce().window()),
                        micros(d.suppression()),
                        d.maxEntities(),
                        d.maxEvidence(),
                        d.dataStaging().enabled(),
                        d.newUser().enabled(),
                        d.errorBurst().enabled(),
                        d.riskyStatement().enabled(),
                        d.newStatement().enabled(),
                        d.latencyRegression().enabled(),
                        d.rateSpike().enabled(),
                        d.tlsDowngrade().enabled(),
                        d.riskyStatement().rules().stream()
                                .map(r -> new DetectionConfig.RiskyRule(r.name(), r.pattern(),
                                        r.severity().toLowerCase(Locale.ROOT), r.mitre(), r.learnable()))
                                .toList()),
                MemoryBudget.of(c).engine());
    }

    private static long micros(Duration d) {
        return d.getSeconds() * 1_000_000L + d.getNano() / 1_000L;
    }
}
