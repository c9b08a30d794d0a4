package io.dbwire.daemon.fault;

import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.config.TcpConfig;
import io.dbwire.core.pipeline.Sensor;
import io.dbwire.daemon.config.ConfigLoader;
import io.dbwire.daemon.config.SensorConfigMapper;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code java -Xmx512m -cp ... SynFloodProbe FLOWS [MAX_FLOWS]}: SYN-only flows through the engine with the shipped
 * defaults (or the flow bound given), then prints the heap retained after GC and per flow held.
 */
public final class SynFloodProbe {
    private SynFloodProbe() {}

    public static void main(String[] args) throws Exception {
        int flows = Integer.parseInt(args[0]);
        SensorConfig defaults = SensorConfigMapper.toSensorConfig(new ConfigLoader().parse("{}"));
        TcpConfig t = defaults.tcp();
        int maxFlows = args.length > 1 ? Integer.parseInt(args[1]) : t.maxFlows();
        SensorConfig cfg = new SensorConfig(defaults.decap(),
                new TcpConfig(maxFlows, t.maxBufferedBytesPerFlow(), t.maxBufferedBytesTotal(), t.idleTimeoutMicros()),
                defaults.protocols(), defaults.detection());
        Path pcap = SynFlood.write(Files.createTempFile("syn", ".pcap"), flows);
        byte[] all = Files.readAllBytes(pcap);
        Files.delete(pcap);
        Sensor sensor = new Sensor(cfg, r -> { }, a -> { });
        int pos = 24;
        int frameBytes = 54;
        for (int i = 0; i < flows; i++) {
            long sec = Integer.toUnsignedLong(le(all, pos));
            long usec = Integer.toUnsignedLong(le(all, pos + 4));
            sensor.onFrame(all, pos + 16, frameBytes, io.dbwire.core.decap.LinkType.ETHERNET, sec * 1_000_000 + usec);
            pos += 16 + frameBytes;
        }
        all = null;
        long used = 0;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }
        long held = sensor.stats().flows();
        System.out.println("flows_seen=" + flows + " max_flows=" + maxFlows + " heap_used=" + used
                + " bytes_per_flow_held=" + used / Math.max(1, Math.min(flows, maxFlows))
                + " stats=" + sensor.stats().problems());
        if (args.length > 2) {
            Thread.sleep(Long.parseLong(args[2])); // time for jcmd GC.class_histogram
            java.lang.ref.Reference.reachabilityFence(sensor);
        }
    }

    private static int le(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }
}
