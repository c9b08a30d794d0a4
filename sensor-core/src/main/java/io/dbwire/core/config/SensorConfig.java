package io.dbwire.core.config;

/** Everything the engine needs, built by the daemon from dbwire.yml (or defaults in tests). */
public record SensorConfig(DecapConfig decap, TcpConfig tcp, ProtocolConfig protocols, DetectionConfig detection) {
    public static SensorConfig defaults() {
        return new SensorConfig(
                DecapConfig.defaults(), TcpConfig.defaults(), ProtocolConfig.defaults(), DetectionConfig.defaults());
    }
}
