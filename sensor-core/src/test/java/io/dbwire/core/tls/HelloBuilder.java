package io.dbwire.core.tls;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes TLS handshake bytes field by field, so fixtures read like the RFC's structures. */
final class HelloBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    HelloBuilder u8(int v) {
        out.write(v);
        return this;
    }

    HelloBuilder u16(int... values) {
        for (int v : values) {
            out.write(v >> 8);
            out.write(v);
        }
        return this;
    }

    HelloBuilder u24(int v) {
        out.write(v >> 16);
        return u16(v & 0xffff);
    }

    HelloBuilder bytes(byte[] b) {
        out.write(b, 0, b.length);
        return this;
    }

    HelloBuilder zeros(int n) {
        return bytes(new byte[n]);
    }

    /** A u16 list with its u16 byte length in front. */
    HelloBuilder u16List(int... values) {
        return u16(values.length * 2).u16(values);
    }

    /** An extension: type, u16 length, body. */
    HelloBuilder ext(int type, HelloBuilder body) {
        byte[] b = body.build();
        return u16(type).u16(b.length).bytes(b);
    }

    /** A u16-length-prefixed block. */
    HelloBuilder block16(HelloBuilder body) {
        byte[] b = body.build();
        return u16(b.length).bytes(b);
    }

    /** A handshake message: type, u24 length, body. */
    static byte[] handshake(int type, HelloBuilder body) {
        byte[] b = body.build();
        return new HelloBuilder().u8(type).u24(b.length).bytes(b).build();
    }

    /** One TLS record around {@code body}. */
    static byte[] record(int type, int version, byte[] body) {
        return new HelloBuilder().u8(type).u16(version).u16(body.length).bytes(body).build();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    byte[] build() {
        return out.toByteArray();
    }
}
