package io.dbwire.daemon.source;

import io.dbwire.core.decap.LinkType;
import io.dbwire.daemon.fault.FatalErrors;
import io.dbwire.daemon.metrics.DaemonCounters;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.PcapStat;
import org.pcap4j.core.Pcaps;
import org.pcap4j.core.RawPacketListener;

/**
 * Live capture on a local interface through libpcap (an on-prem SPAN or TAP port, or the sensor's own traffic):
 * one thread reads packets with their kernel timestamps and copies them into the pipeline queue. Like the UDP
 * receiver it never decodes; decap decides per packet whether a frame is tunnelled.
 */
public final class LiveCapture implements AutoCloseable {
    /** How long libpcap may hold packets to batch them (immediate mode delivers each at once anyway). */
    private static final int READ_TIMEOUT_MILLIS = 100;

    private final PcapHandle handle;
    private final LinkType linkType;
    private final FrameIntake queue;
    private final DaemonCounters counters;
    private final Thread thread;
    private volatile boolean running = true;

    private LiveCapture(PcapHandle handle, FrameIntake queue, DaemonCounters counters, String interfaceName) {
        this.handle = handle;
        this.linkType = Dlt.toLinkType(handle.getDlt().value());
        this.queue = queue;
        this.counters = counters;
        this.thread = new Thread(this::loop, "dbwire-capture-" + interfaceName);
        this.thread.setDaemon(true);
    }

    /**
     * Opens {@code interfaceName} and starts reading.
     *
     * @param filter a BPF expression (tcpdump syntax) applied in the kernel, or null for every packet
     */
    public static LiveCapture open(String interfaceName, int snaplen, boolean promiscuous, String filter,
            FrameIntake queue, DaemonCounters counters) throws SourceException {
        PcapHandle handle;
        try {
            PcapNetworkInterface nif = Pcaps.getDevByName(interfaceName);
            if (nif == null) {
                throw new SourceException("capture.interface: " + interfaceName + " (expected: an interface name)");
            }
            handle = new PcapHandle.Builder(interfaceName)
                    .snaplen(snaplen)
                    .promiscuousMode(promiscuous ? PcapNetworkInterface.PromiscuousMode.PROMISCUOUS
                            : PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
                    .timeoutMillis(READ_TIMEOUT_MILLIS)
                    .immediateMode(true)
                    .timestampPrecision(PcapHandle.TimestampPrecision.NANO)
                    .build();
        } catch (PcapNativeException e) {
            throw new SourceException("capture.interface: cannot open " + interfaceName + " (" + e.getMessage() + ")");
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new SourceException("libpcap is not available (" + e.getMessage() + ")");
        }
        if (filter != null) {
            try {
                handle.setFilter(filter, BpfProgram.BpfCompileMode.OPTIMIZE);
            } catch (PcapNativeException | NotOpenException e) {
                handle.close();
                throw new SourceException("capture.filter: " + filter + " (" + e.getMessage() + ")");
            }
        }
        LiveCapture capture = new LiveCapture(handle, queue, counters, interfaceName);
        capture.thread.start();
        return capture;
    }

    public LinkType linkType() {
        return linkType;
    }

    /**
     * pcap_loop until close(): on Linux (TPACKET_V3) a read timeout only runs once a packet has arrived, so a
     * quiet interface would block pcap_next_ex for ever; pcap_breakloop wakes pcap_loop up instead.
     */
    private void loop() {
        while (running) {
            try {
                handle.loop(-1, (RawPacketListener) this::onPacket);
            } catch (InterruptedException e) {
                return; // breakLoop() from close()
            } catch (NotOpenException e) {
                return;
            } catch (PcapNativeException e) {
                counters.receiveError();
            }
        }
    }

    private void onPacket(byte[] frame) {
        try {
            counters.datagramReceived(frame.length);
            if (!queue.offer(frame, 0, frame.length, linkType, PcapFileSource.toMicros(handle.getTimestamp()))) {
                counters.queueFull();
            }
        } catch (RuntimeException | Error e) {
            // JNA would print and swallow it ("error handling callback exception, continuing"): decide here.
            FatalErrors.haltIfFatal("live capture", e);
            counters.receiveError();
        }
        // pcap_loop says nothing when the ring is empty, so each frame goes on at once (pcap4j copies it anyway).
        queue.flush();
    }

    /** Packets the kernel dropped because the reader fell behind (libpcap's ps_drop), or -1 if unknown. */
    public long kernelDrops() {
        try {
            PcapStat stat = handle.getStats();
            return stat.getNumPacketsDropped();
        } catch (PcapNativeException | NotOpenException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            handle.breakLoop();
        } catch (NotOpenException e) {
            // already closed
        }
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        handle.close();
    }
}
