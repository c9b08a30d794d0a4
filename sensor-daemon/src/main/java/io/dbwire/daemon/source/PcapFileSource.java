package io.dbwire.daemon.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
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
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(channel, file.toString(), consumer, cancelled);
        } catch (IOException e) {
            throw new SourceException(file + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    /** As {@link #read(Path, FrameConsumer)}, from a stream (a capture bundled as a class-path resource). */
    public static PcapFileResult read(InputStream stream, String name, FrameConsumer consumer) throws SourceException {
        try {
            return read(Channels.newChannel(stream), name, consumer, () -> false);
        } catch (IOException e) {
            throw new SourceException(name + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    private static PcapFileResult read(ReadableByteChannel channel, String name, FrameConsumer consumer,
            BooleanSupplier cancelled) throws IOException, SourceException {
        CancellableConsumer counted = new CancellableConsumer(consumer, cancelled);
        try {
            CaptureBuffer in = new CaptureBuffer(channel);
            if (!in.require(4)) {
                return notACapture(name, "shorter than a header");
            }
            if (PcapngReader.recognise(in)) {
                return PcapngReader.read(in, counted);
            }
            if (ClassicPcapReader.recognise(in)) {
                return ClassicPcapReader.read(in, counted);
            }
            return notACapture(name, String.format("magic %08x", in.intAt(0)));
        } catch (CancellableConsumer.Cancelled e) {
            return new PcapFileResult(counted.packets(), CANCELLED);
        }
    }

    private static PcapFileResult notACapture(String file, String why) throws SourceException {
        throw new SourceException(file + ": not a pcap or pcapng file (" + why + ")");
    }

    /** Epoch microseconds; {@link Timestamp#getNanos()} holds the whole fraction of the second. */
    static long toMicros(Timestamp ts) {
        long seconds = Math.floorDiv(ts.getTime(), 1_000L);
        return seconds * 1_000_000L + ts.getNanos() / 1_000L;
    }
}
