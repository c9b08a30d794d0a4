package io.dbwire.core.protocol.mysql;

import io.airlift.compress.zstd.ZstdDecompressor;
import io.dbwire.core.protocol.session.MessageBuffer;

/**
 * Gathers one zstd frame (the payload of one compressed MySQL packet) and decodes it whole into a buffer of the
 * uncompressed length the packet header declared, with aircompressor's pure-Java decoder (RFC 8878). The caller
 * has already checked both lengths against {@code maxMessageBytes}. Memory follows the bytes received, not the
 * declared lengths: the frame buffer grows as compressed bytes arrive, and the output buffer is sized only when
 * the whole frame is there to decode. Buffers up to {@link #RETAINED_BYTES} are kept for the next packet, larger
 * ones are dropped after use. Bad input is a -1 result, never an exception.
 */
final class ZstdFrames {
    static final int RETAINED_BYTES = 64 * 1024;

    private final ZstdDecompressor decompressor = new ZstdDecompressor();
    private final MessageBuffer frame = new MessageBuffer(Integer.MAX_VALUE);
    private int compressed;
    private int fill;
    private byte[] out = new byte[256];
    private int expected;

    /** A frame of {@code compressed} bytes that must decode to exactly {@code uncompressed} bytes follows. */
    void start(int compressed, int uncompressed) {
        this.compressed = compressed;
        fill = 0;
        expected = uncompressed;
    }

    void append(byte[] buf, int offset, int length) {
        int n = Math.min(length, compressed - fill); // never more than start() announced
        if (n > 0) {
            frame.put(fill, buf, offset, n);
            fill += n;
        }
    }

    /** Decodes the gathered frame; returns the decoded length, or -1 when the frame is bad or of another size. */
    int decode() {
        try {
            // The frame header's content size, when present, must be the declared length: checked before decoding.
            byte[] in = frame.array();
            long declared = ZstdDecompressor.getDecompressedSize(in, 0, fill);
            if (declared >= 0 && declared != expected) {
                return -1;
            }
            if (out.length < expected) {
                out = new byte[expected];
            }
            return decompressor.decompress(in, 0, fill, out, 0, expected);
        } catch (RuntimeException e) { // MalformedInputException, or a bound the decoder checks by exception
            return -1;
        }
    }

    byte[] output() {
        return out;
    }

    /** After a large packet: give its buffers back instead of keeping megabytes per idle connection. */
    void release() {
        frame.release();
        if (out.length > RETAINED_BYTES) {
            out = new byte[256];
        }
    }
}
