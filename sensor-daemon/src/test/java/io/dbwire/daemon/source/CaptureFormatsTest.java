package io.dbwire.daemon.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.decap.LinkType;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File-format corners libpcap-written files do not show: byte order, per-interface link types and clocks. */
class CaptureFormatsTest {
    /** 2023-11-14T22:13:20Z. */
    private static final long T0 = 1_700_000_000L;

    @TempDir
    Path dir;

    private record Seen(int firstByte, int length, LinkType linkType, long tsMicros) {}

    private final List<Seen> seen = new ArrayList<>();
    private final FrameConsumer recorder = (f, off, len, lt, ts) -> seen.add(new Seen(f[off] & 0xFF, len, lt, ts));

    @Test
    void bigEndianNanosecondPcap() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(24 + 16 + 40).order(ByteOrder.BIG_ENDIAN);
        b.putInt(0xa1b23c4d).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65_535);
        b.putInt(101);                                      // LINKTYPE_RAW
        b.putInt((int) T0).putInt(123_456_789).putInt(40).putInt(40).put(bytes(7, 40));

        PcapFileResult r = PcapFileSource.read(Files.write(dir.resolve("be.pcap"), b.array()), recorder);

        assertThat(r).isEqualTo(new PcapFileResult(1, null, 101));
        assertThat(seen).containsExactly(new Seen(7, 40, LinkType.RAW, T0 * 1_000_000 + 123_456));
    }

    @Test
    void pcapngInterfacesKeepTheirOwnLinkTypeAndClock() throws Exception {
        Pcapng f = new Pcapng(ByteOrder.LITTLE_ENDIAN);
        f.section();
        f.iface(1, null, null);                              // Ethernet, default microseconds
        f.iface(113, (byte) (0x80 | 10), 100L);               // Linux cooked, 2^-10 s, if_tsoffset 100 s
        f.enhanced(0, T0 * 1_000_000 + 5, bytes(1, 60));
        f.enhanced(1, (T0 << 10) + 512, bytes(2, 50));        // half a second
        f.simple(bytes(3, 61));                              // no time, interface 0
        f.block(0x00000005, new byte[8]);                    // an Interface Statistics Block: skipped

        PcapFileResult r = PcapFileSource.read(f.write(dir.resolve("two.pcapng")), recorder);

        assertThat(r).isEqualTo(new PcapFileResult(3, null));
        assertThat(seen).containsExactly(
                new Seen(1, 60, LinkType.ETHERNET, T0 * 1_000_000 + 5),
                new Seen(2, 50, LinkType.LINUX_SLL, (T0 + 100) * 1_000_000 + 500_000),
                new Seen(3, 61, LinkType.ETHERNET, 0));
    }

    @Test
    void aNewSectionInTheOtherByteOrderStartsItsOwnInterfaces() throws Exception {
        Pcapng first = new Pcapng(ByteOrder.LITTLE_ENDIAN);
        first.section();
        first.iface(1, null, null);
        first.enhanced(0, T0 * 1_000_000, bytes(1, 60));
        Pcapng second = new Pcapng(ByteOrder.BIG_ENDIAN);
        second.section();
        second.iface(101, (byte) 9, null);
        second.enhanced(0, T0 * 1_000_000_000 + 2_000, bytes(2, 40));
        Path file = dir.resolve("sections.pcapng");
        Files.write(file, concat(first.bytes(), second.bytes()));

        PcapFileResult r = PcapFileSource.read(file, recorder);

        assertThat(r).isEqualTo(new PcapFileResult(2, null));
        assertThat(seen).containsExactly(new Seen(1, 60, LinkType.ETHERNET, T0 * 1_000_000),
                new Seen(2, 40, LinkType.RAW, T0 * 1_000_000 + 2));
    }

    @Test
    void aPcapngCutInsideItsLastBlockKeepsThePacketsBefore() throws Exception {
        Pcapng f = new Pcapng(ByteOrder.LITTLE_ENDIAN);
        f.section();
        f.iface(1, null, null);
        f.enhanced(0, 1, bytes(1, 60));
        f.enhanced(0, 2, bytes(2, 60));
        byte[] whole = f.bytes();

        PcapFileResult r = PcapFileSource.read(Files.write(dir.resolve("cut.pcapng"),
                Arrays.copyOf(whole, whole.length - 7)), recorder);

        assertThat(r.packets()).isEqualTo(1);
        assertThat(r.readError()).contains("cut short");
    }

    @Test
    void aPacketOnAnUndescribedInterfaceStopsReadingWithAReason() throws Exception {
        Pcapng f = new Pcapng(ByteOrder.LITTLE_ENDIAN);
        f.section();
        f.iface(1, null, null);
        f.enhanced(3, 1, bytes(1, 60));

        PcapFileResult r = PcapFileSource.read(f.write(dir.resolve("bad.pcapng")), recorder);

        assertThat(r).isEqualTo(new PcapFileResult(0, "after packet 0: packet on undescribed interface 3"));
    }

    @Test
    void aPacketLargerThanTheReadBlockIsWhole() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(24 + 16 + 5_000_000).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(5_000_000).putInt(1);
        b.putInt((int) T0).putInt(1).putInt(5_000_000).putInt(5_000_000).put(bytes(9, 5_000_000));

        PcapFileResult r = PcapFileSource.read(Files.write(dir.resolve("big.pcap"), b.array()), recorder);

        assertThat(r).isEqualTo(new PcapFileResult(1, null, 1));
        assertThat(seen).containsExactly(new Seen(9, 5_000_000, LinkType.ETHERNET, T0 * 1_000_000 + 1));
    }

    private static byte[] bytes(int first, int size) {
        byte[] b = new byte[size];
        b[0] = (byte) first;
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** pcapng blocks written field by field in one byte order (draft-ietf-opsawg-pcapng). */
    private static final class Pcapng {
        private final ByteOrder order;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pcapng(ByteOrder order) {
            this.order = order;
        }

        /** Section Header Block: byte-order magic, version 1.0, section length unknown. */
        void section() {
            block(0x0A0D0D0A, buffer(16).putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1L));
        }

        /** Interface Description Block with optional if_tsresol (code 9) and if_tsoffset (code 14). */
        void iface(int linkType, Byte tsresol, Long tsoffset) {
            ByteBuffer b = buffer(8 + 8 + 12 + 4);
            b.putShort((short) linkType).putShort((short) 0).putInt(65_535);
            if (tsresol != null) {
                b.putShort((short) 9).putShort((short) 1).put(tsresol).put(new byte[3]);
            }
            if (tsoffset != null) {
                b.putShort((short) 14).putShort((short) 8).putLong(tsoffset);
            }
            b.putShort((short) 0).putShort((short) 0);
            block(1, Arrays.copyOf(b.array(), b.position()));
        }

        /** Enhanced Packet Block: interface, 64-bit time in the interface's units, lengths, padded data. */
        void enhanced(int iface, long units, byte[] data) {
            int padded = (data.length + 3) & ~3;
            block(6, buffer(20 + padded).putInt(iface).putInt((int) (units >>> 32)).putInt((int) units)
                    .putInt(data.length).putInt(data.length).put(data));
        }

        /** Simple Packet Block: original length and padded data. */
        void simple(byte[] data) {
            int padded = (data.length + 3) & ~3;
            block(3, buffer(4 + padded).putInt(data.length).put(data));
        }

        void block(int type, ByteBuffer body) {
            block(type, body.array());
        }

        void block(int type, byte[] body) {
            int length = 12 + body.length;
            ByteBuffer b = buffer(length).putInt(type).putInt(length).put(body).putInt(length);
            out.writeBytes(b.array());
        }

        private ByteBuffer buffer(int size) {
            return ByteBuffer.allocate(size).order(order);
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        Path write(Path file) throws Exception {
            return Files.write(file, bytes());
        }
    }
}
