package io.dbwire.core.protocol.mysql;

import io.airlift.compress.zstd.ZstdDecompressor;

/**
 * Gathers one zstd frame (the payload of one compressed MySQL packet) and decodes it whole into a buffer of the
 * uncompressed length the packet header declared, with aircompressor's pure-Java decoder (RFC 8878). The caller
 * has already checked both lengths against {@code maxMessageBytes}; buffers up to {@link #RETAINED_BYTES} are
 * kept for the next packet, larger ones are dropped after use. Bad input is a -1 result, never an exception.
 */
final class ZstdFrames {
    static final int RETAINED_BYTES = 64 * 1024;

    private final ZstdDecompressor decompressor = new ZstdDecompressor();
    private byte[] frame = new byte[256];
    private int fill;
    private byte[] out = new byte[256];
    private int expected;

    /** A frame of {@code compressed} bytes that must decode to exactly {@code uncompressed} bytes follows. */
    void start(int compressed, int uncompressed) {
        if (frame.length < compressed) {
            frame = new byte[compressed];
        }
        if (out.length < uncompressed) {
            out = new byte[uncompressed];
        }
        fill = 0;
        expected = uncompressed;
    }

    void append(byte[] buf, int offset, int length) {
        int n = Math.min(length, frame.length - fill); // never more than start() announced
        System.arraycopy(buf, offset, frame, fill, n);
        fill += n;
    }

    /** Decodes the gathered frame; returns the decoded length, or -1 when the frame is bad or of another size. */
    int decode() {
        try {
            // The frame header's content size, when present, must be the declared length: checked before decoding.
            long declared = ZstdDecompressor.getDecompressedSize(frame, 0, fill);
            if (declared >= 0 && declared != expected) {
                return -1;
            }
            return decompressor.decompress(frame, 0, fill, out, 0, expected);
        } catch (RuntimeException e) { // MalformedInputException, or a bound the decoder checks by exception
            return -1;
        }
    }

    byte[] output() {
        return out;
    }

    /** After a large packet: give its buffers back instead of keeping megabytes per idle connection. */
    void release() {
        if (frame.length > RETAINED_BYTES) {
            frame = new byte[256];
        }
        if (out.length > RETAINED_BYTES) {
            out = new byte[256];
        }
    }
}
