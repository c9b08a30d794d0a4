package io.dbwire.core.config;

/** Everything the engine needs, built by the daemon from dbwire.yml (or defaults in tests). */
public record SensorConfig(DecapConfig decap, TcpConfig tcp, ProtocolConfig protocols, DetectionConfig detection,
        MemoryConfig memory) {
    /** Without a memory budget (accounted, never shed). */
    public SensorConfig(DecapConfig decap, TcpConfig tcp, ProtocolConfig protocols, DetectionConfig detection) {
        this(decap, tcp, protocols, detection, MemoryConfig.unlimited());
    }

    public static SensorConfig defaults() {
        return new SensorConfig(
                DecapConfig.defaults(), TcpConfig.defaults(), ProtocolConfig.defaults(), DetectionConfig.defaults());
    }

    /** The same settings with {@code memory} as the budget. */
    public SensorConfig withMemory(MemoryConfig memory) {
        return new SensorConfig(decap, tcp, protocols, detection, memory);
    }
}
