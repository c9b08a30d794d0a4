package io.dbwire.daemon.source;

import io.dbwire.core.decap.LinkType;
import java.io.IOException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * pcapng (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-02.html): a sequence of blocks
 * <pre>
 * block: type(4) | total length(4) | body | total length(4)
 * SHB  0x0A0D0D0A: byte-order magic 1A2B3C4D | version | section length | options   (starts a section)
 * IDB  1: link type(2) | reserved(2) | snaplen(4) | options (if_tsresol 9, if_tsoffset 14)
 * EPB  6: interface(4) | timestamp high(4) low(4) | caplen(4) | original length(4) | data, padded to 4
 * SPB  3: original length(4) | data (interface 0, no timestamp)
 * PB   2 (obsolete): interface(2) | drops(2) | timestamp high(4) low(4) | caplen(4) | original length(4) | data
 * </pre>
 * Every interface keeps its own link type and time resolution; a new section forgets the interfaces of the last.
 * Other block types are skipped.
 */
final class PcapngReader {
    static final int SECTION_HEADER = 0x0A0D0D0A;
    private static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    private static final int INTERFACE_DESCRIPTION = 1;
    private static final int OBSOLETE_PACKET = 2;
    private static final int SIMPLE_PACKET = 3;
    private static final int ENHANCED_PACKET = 6;
    private static final int OPTION_END = 0;
    private static final int OPTION_TSRESOL = 9;
    private static final int OPTION_TSOFFSET = 14;
    private static final int MIN_BLOCK = 12;

    /** One Interface Description Block: what its packets are, and how many timestamp units make a second. */
    private record Interface(LinkType linkType, long unitsPerSecond, long offsetSeconds) {
        long micros(long units) {
            long seconds = Math.floorDiv(units, unitsPerSecond);
            long fraction = Math.floorMod(units, unitsPerSecond);
            // Exact floor while the product fits (every resolution up to 10^-12 and 2^-43), else near enough.
            long micros = fraction < Long.MAX_VALUE / 1_000_000L ? fraction * 1_000_000L / unitsPerSecond
                    : (long) ((double) fraction * 1_000_000L / unitsPerSecond);
            return (seconds + offsetSeconds) * 1_000_000L + micros;
        }
    }

    private final CaptureBuffer in;
    private final FrameConsumer consumer;
    private final List<Interface> interfaces = new ArrayList<>();
    private long packets;

    private PcapngReader(CaptureBuffer in, FrameConsumer consumer) {
        this.in = in;
        this.consumer = consumer;
    }

    static boolean recognise(CaptureBuffer in) {
        return in.intAt(0) == SECTION_HEADER;
    }

    static PcapFileResult read(CaptureBuffer in, FrameConsumer consumer) throws IOException {
        return new PcapngReader(in, consumer).readAll();
    }

    private PcapFileResult readAll() throws IOException {
        while (in.require(MIN_BLOCK)) {
            int type = in.intAt(0);
            if (type == SECTION_HEADER && !startSection()) {
                return problem("section header: byte-order magic not 1A2B3C4D");
            }
            int length = in.intAt(4);
            if (length < MIN_BLOCK || (length & 3) != 0 || length > ClassicPcapReader.MAX_RECORD_BYTES) {
                return problem("block length " + length + " (expected: a multiple of 4 in " + MIN_BLOCK + ".."
                        + ClassicPcapReader.MAX_RECORD_BYTES + ")");
            }
            if (!in.require(length)) {
                return problem("block cut short");
            }
            String error = block(type, length);
            if (error != null) {
                return problem(error);
            }
            in.skip(length);
        }
        return new PcapFileResult(packets, in.hasRemaining() ? "block cut short" : null);
    }

    private PcapFileResult problem(String what) {
        return new PcapFileResult(packets, "after packet " + packets + ": " + what);
    }

    /** Reads the byte order from the magic (the block type reads the same either way) and forgets interfaces. */
    private boolean startSection() {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            in.order(order);
            if (in.intAt(8) == BYTE_ORDER_MAGIC) {
                interfaces.clear();
                return true;
            }
        }
        return false;
    }

    /** Null when the block was understood or skipped, else why reading must stop. */
    private String block(int type, int length) {
        switch (type) {
            case ENHANCED_PACKET:
                return packet(in.intAt(8), 12, 20, 28, length);
            case SIMPLE_PACKET:
                return simplePacket(length);
            case OBSOLETE_PACKET:
                return packet(in.unsignedShortAt(8), 12, 20, 28, length);
            case INTERFACE_DESCRIPTION:
                interfaces.add(describeInterface(length));
                return null;
            default:
                return null;
        }
    }

    private String packet(int interfaceId, int tsAt, int caplenAt, int dataAt, int length) {
        if (interfaceId < 0 || interfaceId >= interfaces.size()) {
            return "packet on undescribed interface " + interfaceId;
        }
        int caplen = in.intAt(caplenAt);
        if (caplen < 0 || dataAt + caplen > length - 4) {
            return "captured length " + caplen + " (expected: within the block of " + length + ")";
        }
        Interface i = interfaces.get(interfaceId);
        long units = ((long) in.intAt(tsAt) << 32) | (in.intAt(tsAt + 4) & 0xFFFFFFFFL);
        consumer.onFrame(in.array(), in.arrayOffset(dataAt), caplen, i.linkType(), i.micros(units));
        packets++;
        return null;
    }

    /** No timestamp and no captured length: the data runs to the block's end (padding included, cut to original). */
    private String simplePacket(int length) {
        if (interfaces.isEmpty()) {
            return "simple packet before any interface";
        }
        int caplen = Math.min(in.intAt(8), length - 16);
        if (caplen < 0) {
            return "simple packet length " + in.intAt(8);
        }
        consumer.onFrame(in.array(), in.arrayOffset(12), caplen, interfaces.get(0).linkType(), 0L);
        packets++;
        return null;
    }

    private Interface describeInterface(int length) {
        LinkType linkType = FileLinkTypes.toLinkType(in.unsignedShortAt(8));
        long unitsPerSecond = 1_000_000L;
        long offsetSeconds = 0;
        int at = 16;
        while (at + 4 <= length - 4) {
            int code = in.unsignedShortAt(at);
            int optionLength = in.unsignedShortAt(at + 2);
            if (code == OPTION_END || at + 4 + optionLength > length - 4) {
                break;
            }
            if (code == OPTION_TSRESOL && optionLength >= 1) {
                unitsPerSecond = unitsPerSecond(in.byteAt(at + 4));
            } else if (code == OPTION_TSOFFSET && optionLength >= 8) {
                offsetSeconds = in.longAt(at + 4);
            }
            at += 4 + ((optionLength + 3) & ~3);
        }
        return new Interface(linkType, unitsPerSecond, offsetSeconds);
    }

    /** if_tsresol: high bit clear = 10^-n seconds, set = 2^-n; resolutions finer than 10^-18 / 2^-62 are cut there. */
    private static long unitsPerSecond(int tsresol) {
        int exponent = tsresol & 0x7F;
        if ((tsresol & 0x80) != 0) {
            return 1L << Math.min(exponent, 62);
        }
        long units = 1;
        for (int k = 0; k < Math.min(exponent, 18); k++) {
            units *= 10;
        }
        return units;
    }
}
