package io.dbwire.daemon.source;

import io.dbwire.core.decap.LinkType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;
import org.pcap4j.core.RawPacketListener;

/**
 * Reads one pcap or pcapng file through libpcap (pcapng needs libpcap 1.1 or later) and hands every packet to a
 * {@link FrameConsumer}. The file's link type is mapped by {@link Dlt}; whether a packet is
 * VXLAN-wrapped is for decap to decide per packet, not for the source.
 *
 * <p>The file is opened with nanosecond precision so that libpcap scales microsecond files up and nanosecond
 * files (magic {@code a1b23c4d}, or pcapng with {@code if_tsresol}) lose nothing before we truncate to micros.
 */
public final class PcapFileSource {
    private PcapFileSource() {}

    /** Feeds every packet of {@code file}; a file that cannot be opened at all is an exception. */
    public static PcapFileResult read(Path file, FrameConsumer consumer) throws SourceException {
        if (!Files.exists(file)) {
            throw new SourceException(file + ": no such file");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new SourceException(file + ": not a readable file");
        }
        PcapHandle handle;
        try {
            handle = Pcaps.openOffline(file.toString(), PcapHandle.TimestampPrecision.NANO);
        } catch (PcapNativeException e) {
            throw new SourceException(file + ": not a pcap or pcapng file (" + e.getMessage() + ")");
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new SourceException("libpcap is not available (" + e.getMessage() + ")");
        }
        try {
            return readAll(handle, consumer);
        } finally {
            handle.close();
        }
    }

    /**
     * pcap_loop with one callback per packet: pcap_next_ex through JNA allocates native-memory wrappers (with
     * finalizers) for every packet, which cost more than the whole engine.
     */
    private static PcapFileResult readAll(PcapHandle handle, FrameConsumer consumer) {
        int dlt = handle.getDlt().value();
        LinkType linkType = Dlt.toLinkType(dlt);
        long[] packets = {0};
        RawPacketListener listener = frame -> {
            packets[0]++;
            consumer.onFrame(frame, 0, frame.length, linkType, toMicros(handle.getTimestamp()));
        };
        try {
            handle.loop(-1, listener);
            return new PcapFileResult(packets[0], null, dlt);
        } catch (PcapNativeException e) {
            // A truncated last record is common (capture killed mid-write): keep what was read.
            return new PcapFileResult(packets[0], e.getMessage(), dlt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new PcapFileResult(packets[0], "interrupted", dlt);
        } catch (NotOpenException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Epoch microseconds; {@link Timestamp#getNanos()} holds the whole fraction of the second. */
    static long toMicros(Timestamp ts) {
        long seconds = Math.floorDiv(ts.getTime(), 1_000L);
        return seconds * 1_000_000L + ts.getNanos() / 1_000L;
    }
}
