package io.dbwire.daemon.source;

import io.dbwire.core.decap.LinkType;
import java.io.IOException;
import java.nio.ByteOrder;

/**
 * Classic pcap (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap-04.html):
 * <pre>
 * file header (24): magic | major(2) minor(2) | reserved(4) | reserved(4) | snaplen(4) | linktype(4)
 * record header (16): ts_sec | ts_usec or ts_nsec | caplen | original length, then caplen bytes
 * </pre>
 * The magic a1b2c3d4 (microseconds) or a1b23c4d (nanoseconds), read in either byte order, gives the file's byte
 * order and time resolution.
 */
final class ClassicPcapReader {
    static final int MAGIC_MICROS = 0xa1b2c3d4;
    static final int MAGIC_NANOS = 0xa1b23c4d;
    private static final int FILE_HEADER = 24;
    private static final int RECORD_HEADER = 16;
    /** libpcap refuses records above 256 KiB unless the snaplen says more; past this the file is damaged. */
    static final int MAX_RECORD_BYTES = 64 * 1024 * 1024;

    private ClassicPcapReader() {}

    /** True for a pcap magic in either byte order (the buffer's order is set to the file's). */
    static boolean recognise(CaptureBuffer in) {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            in.order(order);
            int magic = in.intAt(0);
            if (magic == MAGIC_MICROS || magic == MAGIC_NANOS) {
                return true;
            }
        }
        return false;
    }

    static PcapFileResult read(CaptureBuffer in, FrameConsumer consumer) throws IOException {
        if (!in.require(FILE_HEADER)) {
            return new PcapFileResult(0, "file header cut short");
        }
        boolean nanos = in.intAt(0) == MAGIC_NANOS;
        // The upper bits of the link type field carry FCS information (pcap draft section 4).
        int network = in.intAt(20) & 0x0FFFFFFF;
        LinkType linkType = FileLinkTypes.toLinkType(network);
        in.skip(FILE_HEADER);
        long packets = 0;
        while (in.require(RECORD_HEADER)) {
            long seconds = in.intAt(0);
            long fraction = in.intAt(4) & 0xFFFFFFFFL;
            int caplen = in.intAt(8);
            if (caplen < 0 || caplen > MAX_RECORD_BYTES) {
                return new PcapFileResult(packets, "record " + (packets + 1) + ": captured length " + caplen
                        + " (expected: 0.." + MAX_RECORD_BYTES + ")", network);
            }
            if (!in.require(RECORD_HEADER + caplen)) {
                return new PcapFileResult(packets, "record " + (packets + 1) + " cut short", network);
            }
            long micros = seconds * 1_000_000L + (nanos ? fraction / 1_000L : fraction);
            consumer.onFrame(in.array(), in.arrayOffset(RECORD_HEADER), caplen, linkType, micros);
            in.skip(RECORD_HEADER + caplen);
            packets++;
        }
        return new PcapFileResult(packets, in.hasRemaining() ? "record " + (packets + 1) + " cut short" : null,
                network);
    }
}
