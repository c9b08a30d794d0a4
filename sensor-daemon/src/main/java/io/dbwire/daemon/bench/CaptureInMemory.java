package io.dbwire.daemon.bench;

import io.dbwire.core.decap.LinkType;
import io.dbwire.daemon.source.FrameConsumer;
import io.dbwire.daemon.source.PcapFileSource;
import io.dbwire.daemon.source.SourceException;
import java.nio.file.Path;
import java.util.Arrays;

/** Every frame of a capture held in one array, so that a run measures the engine and not the disk. */
final class CaptureInMemory {
    private byte[] bytes = new byte[1 << 20];
    private int[] offsets = new int[1 << 12];
    private int[] lengths = new int[1 << 12];
    private long[] times = new long[1 << 12];
    private LinkType[] linkTypes = new LinkType[1 << 12];
    private int frames;
    private int used;

    static CaptureInMemory load(Path file) throws SourceException {
        CaptureInMemory c = new CaptureInMemory();
        PcapFileSource.read(file, c::add);
        return c;
    }

    private void add(byte[] frame, int offset, int length, LinkType linkType, long tsMicros) {
        if ((long) used + length > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("capture too large to hold in memory (over 2 GiB of frames)");
        }
        if (used + length > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(2L * bytes.length,
                    (long) used + length)));
        }
        if (frames == offsets.length) {
            int n = frames * 2;
            offsets = Arrays.copyOf(offsets, n);
            lengths = Arrays.copyOf(lengths, n);
            times = Arrays.copyOf(times, n);
            linkTypes = Arrays.copyOf(linkTypes, n);
        }
        System.arraycopy(frame, offset, bytes, used, length);
        offsets[frames] = used;
        lengths[frames] = length;
        times[frames] = tsMicros;
        linkTypes[frames] = linkType;
        used += length;
        frames++;
    }

    int frames() {
        return frames;
    }

    long wireBytes() {
        return used;
    }

    int length(int i) {
        return lengths[i];
    }

    void feed(int i, FrameConsumer consumer) {
        consumer.onFrame(bytes, offsets[i], lengths[i], linkTypes[i], times[i]);
    }
}
