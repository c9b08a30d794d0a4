package io.dbwire.bench;

import io.dbwire.core.decap.LinkType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The frames of a classic pcap file held in memory, so that benchmarks measure the engine and not the disk or
 * libpcap. Timestamps are kept: the engine runs on packet time.
 */
final class CaptureFrames {
    final List<byte[]> frames = new ArrayList<>();
    final List<Long> timestamps = new ArrayList<>();
    final LinkType linkType;
    final long totalBytes;

    private CaptureFrames(LinkType linkType, long totalBytes) {
        this.linkType = linkType;
        this.totalBytes = totalBytes;
    }

    static CaptureFrames load(Path pcap) {
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(pcap));
            int magic = b.getInt(0);
            boolean bigEndian = magic == 0xA1B2C3D4 || magic == 0xA1B23C4D;
            b.order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            boolean nanos = b.getInt(0) == 0xA1B23C4D;
            List<byte[]> frames = new ArrayList<>();
            List<Long> times = new ArrayList<>();
            long bytes = 0;
            int pos = 24;
            while (pos + 16 <= b.capacity()) {
                long seconds = Integer.toUnsignedLong(b.getInt(pos));
                long fraction = Integer.toUnsignedLong(b.getInt(pos + 4));
                int captured = b.getInt(pos + 8);
                byte[] frame = new byte[captured];
                System.arraycopy(b.array(), pos + 16, frame, 0, captured);
                frames.add(frame);
                times.add(seconds * 1_000_000L + (nanos ? fraction / 1_000 : fraction));
                bytes += captured;
                pos += 16 + captured;
            }
            CaptureFrames c = new CaptureFrames(LinkType.fromPcap(b.getInt(20)), bytes);
            c.frames.addAll(frames);
            c.timestamps.addAll(times);
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
