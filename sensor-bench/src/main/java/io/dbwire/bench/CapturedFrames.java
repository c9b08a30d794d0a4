package io.dbwire.bench;

import io.dbwire.daemon.source.PcapFileSource;
import io.dbwire.daemon.source.SourceException;
import io.dbwire.core.decap.LinkType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Up to {@code limit} frames of a pcap or pcapng file (read as {@code replay} reads it), each copied into its own
 * array, with link types and packet times: benchmark input that measures the engine, not the disk.
 */
final class CapturedFrames {
    final byte[][] frames;
    final LinkType[] linkTypes;
    final long[] timestamps;
    final long wireBytes;

    private CapturedFrames(byte[][] frames, LinkType[] linkTypes, long[] timestamps, long wireBytes) {
        this.frames = frames;
        this.linkTypes = linkTypes;
        this.timestamps = timestamps;
        this.wireBytes = wireBytes;
    }

    static CapturedFrames load(Path file, int limit) {
        List<byte[]> frames = new ArrayList<>();
        List<LinkType> types = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        long[] bytes = {0};
        try {
            PcapFileSource.read(file, (f, off, len, lt, ts) -> {
                if (frames.size() < limit) {
                    frames.add(Arrays.copyOfRange(f, off, off + len));
                    types.add(lt);
                    times.add(ts);
                    bytes[0] += len;
                }
            }, () -> frames.size() >= limit);
        } catch (SourceException e) {
            throw new IllegalStateException(file + ": " + e.getMessage(), e);
        }
        return new CapturedFrames(frames.toArray(new byte[0][]), types.toArray(new LinkType[0]),
                times.stream().mapToLong(Long::longValue).toArray(), bytes[0]);
    }

    int size() {
        return frames.length;
    }
}
