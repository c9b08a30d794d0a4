package io.dbwire.core.protocol.mysql;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.zip.Deflater;

/** Builds MySQL packets for fixtures: little-endian integers, length-encoded strings, the 4-byte header. */
final class MySqlBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static MySqlBytes payload() {
        return new MySqlBytes();
    }

    MySqlBytes int1(int v) {
        out.write(v);
        return this;
    }

    MySqlBytes int2(int v) {
        return int1(v & 0xff).int1((v >>> 8) & 0xff);
    }

    MySqlBytes int3(int v) {
        return int2(v & 0xffff).int1((v >>> 16) & 0xff);
    }

    MySqlBytes int4(long v) {
        return int2((int) (v & 0xffff)).int2((int) ((v >>> 16) & 0xffff));
    }

    MySqlBytes lenenc(long v) {
        if (v < 251) {
            return int1((int) v);
        }
        if (v < 0x10000) {
            return int1(0xfc).int2((int) v);
        }
        if (v < 0x1000000) {
            return int1(0xfd).int3((int) v);
        }
        return int1(0xfe).int4(v & 0xffffffffL).int4(v >>> 32);
    }

    MySqlBytes str(String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    MySqlBytes nul(String s) {
        return str(s).int1(0);
    }

    MySqlBytes lenencStr(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        lenenc(b.length);
        out.writeBytes(b);
        return this;
    }

    MySqlBytes zeros(int n) {
        out.writeBytes(new byte[n]);
        return this;
    }

    MySqlBytes bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    byte[] build() {
        return out.toByteArray();
    }

    /** The payload as one packet with sequence id {@code seq}. */
    byte[] packet(int seq) {
        return packet(seq, build());
    }

    static byte[] packet(int seq, byte[] payload) {
        return payload().int3(payload.length).int1(seq).bytes(payload).build();
    }

    static byte[] hex(String spaced) {
        return HexFormat.of().parseHex(spaced.replaceAll("\\s+", ""));
    }

    static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    /** Wraps plain protocol bytes in one compressed packet (zlib), as CLIENT_COMPRESS sends them. */
    static byte[] compressed(int seq, byte[] plain) {
        Deflater d = new Deflater();
        d.setInput(plain);
        d.finish();
        byte[] buf = new byte[plain.length + 64];
        int n = d.deflate(buf);
        d.end();
        return payload().int3(n).int1(seq).int3(plain.length).bytes(java.util.Arrays.copyOf(buf, n)).build();
    }

    /**
     * Wraps plain protocol bytes in one compressed packet holding one zstd frame (CLIENT_ZSTD_COMPRESSION_ALGORITHM),
     * compressed by aircompressor's encoder.
     */
    static byte[] zstdCompressed(int seq, byte[] plain) {
        io.airlift.compress.zstd.ZstdCompressor c = new io.airlift.compress.zstd.ZstdCompressor();
        byte[] buf = new byte[c.maxCompressedLength(plain.length)];
        int n = c.compress(plain, 0, plain.length, buf, 0, buf.length);
        return payload().int3(n).int1(seq).int3(plain.length).bytes(java.util.Arrays.copyOf(buf, n)).build();
    }

    // ---- common packets -----------------------------------------------------------------------------------

    static byte[] ok(int seq, long affected, int status) {
        return payload().int1(0x00).lenenc(affected).lenenc(0).int2(status).int2(0).packet(seq);
    }

    static byte[] err(int seq, int code, String state, String message) {
        return payload().int1(0xff).int2(code).str("#").str(state).str(message).packet(seq);
    }

    static byte[] eof(int seq, int status) {
        return payload().int1(0xfe).int2(0).int2(status).packet(seq);
    }

    /** Under CLIENT_DEPRECATE_EOF: an OK packet with header 0xFE ends the rows. */
    static byte[] okEof(int seq, int status) {
        return payload().int1(0xfe).lenenc(0).lenenc(0).int2(status).int2(0).packet(seq);
    }

    static byte[] query(String sql) {
        return payload().int1(MySqlWire.COM_QUERY).str(sql).packet(0);
    }

    static byte[] column(int seq, String name) {
        return payload().lenencStr("def").lenencStr("shop").lenencStr("t").lenencStr("t").lenencStr(name)
                .lenencStr(name).lenenc(0x0c).int2(0x21).int4(255).int1(0xfd).int2(0).int1(0).int2(0).packet(seq);
    }

    static byte[] textRow(int seq, String... values) {
        MySqlBytes b = payload();
        for (String v : values) {
            if (v == null) {
                b.int1(0xfb);
            } else {
                b.lenencStr(v);
            }
        }
        return b.packet(seq);
    }
}
