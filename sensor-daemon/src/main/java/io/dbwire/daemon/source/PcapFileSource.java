package io.dbwire.daemon.source;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Timestamp;
import java.util.function.BooleanSupplier;

/**
 * Reads one pcap or pcapng file in plain Java and hands every packet to a {@link FrameConsumer}, as a slice of a
 * large read buffer (no copy, no native call per packet: pcap4j stays for live capture only). The file's link type
 * is mapped by {@link FileLinkTypes}; whether a packet is VXLAN-wrapped is for decap to decide per packet, not for
 * the source. Times are cut to microseconds: nanosecond pcap (magic {@code a1b23c4d}) and pcapng interfaces with
 * any {@code if_tsresol} lose nothing before that.
 */
public final class PcapFileSource {
    /** The readError of a read stopped by its cancel condition. */
    public static final String CANCELLED = "cancelled";

    private PcapFileSource() {}

    /** Feeds every packet of {@code file}; a file that cannot be opened at all is an exception. */
    public static PcapFileResult read(Path file, FrameConsumer consumer) throws SourceException {
        return read(file, consumer, () -> false);
    }

    /**
     * As {@link #read(Path, FrameConsumer)}, stopping after the current packet once {@code cancelled} turns true
     * (replay's SIGINT); the result's readError is then "cancelled".
     */
    public static PcapFileResult read(Path file, FrameConsumer consumer, BooleanSupplier cancelled)
            throws SourceException {
        if (!Files.exists(file)) {
            throw new SourceException(file + ": no such file");
        }
        // Not only regular files: a named pipe works too (tcpdump -w - | dbwire replay /dev/stdin); reads are
        // sequential.
        if (Files.isDirectory(file) || !Files.isReadable(file)) {
            throw new SourceException(file + ": not a readable file");
        }
        CancellableConsumer counted = new CancellableConsumer(consumer, cancelled);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            CaptureBuffer in = new CaptureBuffer(channel);
            if (!in.require(4)) {
                return notACapture(file, "shorter than a header");
            }
            if (PcapngReader.recognise(in)) {
                return PcapngReader.read(in, counted);
            }
            if (ClassicPcapReader.recognise(in)) {
                return ClassicPcapReader.read(in, counted);
            }
            return notACapture(file, String.format("magic %08x", in.intAt(0)));
        } catch (CancellableConsumer.Cancelled e) {
            return new PcapFileResult(counted.packets(), CANCELLED);
        } catch (IOException e) {
            throw new SourceException(file + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    private static PcapFileResult notACapture(Path file, String why) throws SourceException {
        throw new SourceException(file + ": not a pcap or pcapng file (" + why + ")");
    }

    /** Epoch microseconds; {@link Timestamp#getNanos()} holds the whole fraction of the second. */
    static long toMicros(Timestamp ts) {
        long seconds = Math.floorDiv(ts.getTime(), 1_000L);
        return seconds * 1_000_000L + ts.getNanos() / 1_000L;
    }
}
