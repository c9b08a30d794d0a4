package io.dbwire.core.protocol.mysql;

import io.dbwire.core.util.ReasonCounters;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Unwraps the compressed protocol of one direction and passes the plain protocol bytes on. The compressed
 * packets frame a byte stream: one may hold several MySQL packets, or part of one.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_compression_packet.html
 *
 * <pre>
 * +-------------------+-----+-----------------------+-----------------------------------------------------+
 * | compressed len(3) | seq | uncompressed len (3)  | payload: zlib stream / zstd frame, or raw if len == 0 |
 * +-------------------+-----+-----------------------+-----------------------------------------------------+
 * </pre>
 *
 * zlib (CLIENT_COMPRESS) is inflated as its bytes arrive, never buffered whole. zstd
 * (CLIENT_ZSTD_COMPRESSION_ALGORITHM, MySQL 8.0.18+) is one complete frame per packet (the server compresses each
 * with ZSTD_compressCCtx), so the frame is gathered and decoded at its end by {@link ZstdFrames}; both lengths are
 * 3-byte fields and are checked against {@code maxMessageBytes} before any buffer is sized. A failure is counted
 * and breaks the direction: no boundary inside compressed data can be trusted, so parsing of it ends.
 */
final class Decompressor {
    enum Algorithm { ZLIB, ZSTD }

    interface Output {
        void onBytes(byte[] buf, int offset, int length, long ts);

        /** The stream cannot be followed any more (bad zlib/zstd data, absurd lengths). */
        void onBroken();
    }

    private static final int OUT_CHUNK = 16 * 1024;

    private final int maxMessageBytes;
    private final ReasonCounters<MySqlEvent> counters;
    private final Output output;
    private final Inflater inflater;
    private final ZstdFrames zstd;
    private final byte[] header = new byte[MySqlWire.COMPRESSED_HEADER];
    private final byte[] out = new byte[OUT_CHUNK];
    private int headerFill;
    private long remaining;
    private long expected;
    private long produced;
    private boolean inHeader = true;
    private boolean broken;

    Decompressor(Algorithm algorithm, int maxMessageBytes, ReasonCounters<MySqlEvent> counters, Output output) {
        this.maxMessageBytes = maxMessageBytes;
        this.counters = counters;
        this.output = output;
        this.inflater = algorithm == Algorithm.ZLIB ? new Inflater() : null;
        this.zstd = algorithm == Algorithm.ZSTD ? new ZstdFrames() : null;
    }

    /** A gap: the compressed stream cannot be resumed (no boundary probe is reliable inside compressed data). */
    void gap() {
        broken = true;
    }

    void onData(byte[] buf, int offset, int len, long ts) {
        int pos = offset;
        int end = offset + len;
        while (pos < end && !broken) {
            if (inHeader) {
                int n = Math.min(header.length - headerFill, end - pos);
                System.arraycopy(buf, pos, header, headerFill, n);
                headerFill += n;
                pos += n;
                if (headerFill == header.length) {
                    startPacket();
                }
            } else {
                int take = (int) Math.min(remaining, end - pos);
                if (expected == 0) {
                    output.onBytes(buf, pos, take, ts);
                } else if (zstd != null) {
                    zstd.append(buf, pos, take);
                } else if (!inflate(buf, pos, take, ts)) {
                    fail();
                    return;
                }
                pos += take;
                remaining -= take;
                if (remaining == 0) {
                    endPacket(ts);
                }
            }
        }
    }

    private void startPacket() {
        headerFill = 0;
        remaining = MySqlWire.int3(header, 0);
        expected = MySqlWire.int3(header, 4);
        produced = 0;
        inHeader = false;
        // Compression only ever shrinks what it sends (else the packet goes raw, length 0): both are bounded.
        if (expected > maxMessageBytes || (expected > 0 && remaining > maxMessageBytes)) {
            fail();
            return;
        }
        counters.increment(MySqlEvent.COMPRESSED_PACKETS);
        if (expected > 0 && inflater != null) {
            inflater.reset();
        } else if (expected > 0) {
            zstd.start((int) remaining, (int) expected);
        }
        if (remaining == 0) {
            endPacket(0);
        }
    }

    private boolean inflate(byte[] buf, int pos, int take, long ts) {
        inflater.setInput(buf, pos, take);
        try {
            while (!inflater.needsInput() && !inflater.finished()) {
                int n = inflater.inflate(out);
                if (n == 0 && (inflater.needsDictionary() || !inflater.needsInput() && !inflater.finished())) {
                    return false;
                }
                produced += n;
                if (produced > expected) {
                    return false;
                }
                if (n > 0) {
                    output.onBytes(out, 0, n, ts);
                }
            }
        } catch (DataFormatException e) {
            return false;
        }
        return true;
    }

    private void endPacket(long ts) {
        inHeader = true;
        if (expected > 0 && zstd != null) {
            int n = zstd.decode();
            if (n != expected) {
                fail();
                return;
            }
            produced = n;
            output.onBytes(zstd.output(), 0, n, ts);
            zstd.release();
        }
        if (expected > 0 && produced != expected) {
            fail();
        }
    }

    private void fail() {
        counters.increment(MySqlEvent.DECOMPRESSION_FAILURE);
        broken = true;
        if (zstd != null) {
            zstd.release();
        }
        output.onBroken();
    }
}
