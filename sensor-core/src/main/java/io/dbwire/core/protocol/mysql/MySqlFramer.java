package io.dbwire.core.protocol.mysql;

import io.dbwire.core.memory.MemoryAccount;
import io.dbwire.core.memory.MemoryConsumer;
import io.dbwire.core.memory.ShedReason;
import io.dbwire.core.protocol.session.FrameHandler;
import io.dbwire.core.protocol.session.Framer;
import io.dbwire.core.protocol.session.MessageBuffer;
import io.dbwire.core.util.ReasonCounters;

/**
 * Frames one direction of a MySQL connection into logical packets: 3-byte length and sequence id per physical
 * packet, payloads of exactly 0xFFFFFF bytes continued by the next packet (the 16 MiB split), every length
 * checked against {@code maxMessageBytes}. Only a bounded prefix of a payload is kept (how much is asked from the
 * {@link FrameHandler} once the first payload byte is known, so result rows cost a few bytes); the rest is skipped
 * by count across calls. After a bad length, a gap, or from the start of a mid-stream connection the direction
 * probes for a boundary ({@link BoundaryProbe}) and replays the bytes from there. With compression on, raw bytes
 * pass through a {@link Decompressor} first.
 */
final class MySqlFramer implements Framer {


    enum State { HEADER, BODY, RESYNC, HANDOFF, STOPPED }

    private final boolean client;
    private final int maxMessageBytes;
    private final int keepCap;
    private final ReasonCounters<MySqlEvent> counters;
    private final FrameHandler<MySqlPacket> handler;
    /** The reused view handed to the handler; made with the first packet, let go while the connection is quiet. */
    private MySqlPacket packet;

    private State state;
    /** A header split across deliveries (made on first use, let go while quiet). */
    private byte[] header;
    private int headerFill;
    private final MessageBuffer body;
    private int keepLimit;
    /** The handler asked for the whole payload (so a cut is a real truncation, not a choice). */
    private boolean wantAll;
    private int kept;
    private long length;
    private long physicalRemaining;
    private boolean continuing;
    private int lastSeq;
    private int firstSeq;
    private long wire;
    private long firstTs;

    /** Made by the first resync: a connection followed from its handshake usually never needs one. */
    private BoundaryProbe boundary;

    private Decompressor decompressor;

    MySqlFramer(boolean client, boolean resync, int maxMessageBytes, int keepCap,
            ReasonCounters<MySqlEvent> counters, FrameHandler<MySqlPacket> handler) {
        this.client = client;
        this.maxMessageBytes = Math.max(0, maxMessageBytes);
        this.keepCap = Math.max(64, keepCap);
        this.body = new MessageBuffer(this.keepCap);
        this.counters = counters;
        this.handler = handler;
        this.state = State.HEADER;
        if (resync) {
            enterResync();
        }
    }

    State state() {
        return state;
    }

    @Override
    public void stop() {
        state = State.STOPPED;
    }

    /** Called by the handler inside {@link FrameHandler#onFrame}: the rest of this delivery goes to onTail. */
    @Override
    public void handOff() {
        state = State.HANDOFF;
    }

    /** Compression took effect: every further byte of this direction is a compressed packet. */
    void startCompression(Decompressor.Algorithm algorithm) {
        if (decompressor == null) {
            decompressor = new Decompressor(algorithm, maxMessageBytes, counters, new Decompressor.Output() {
                @Override
                public void onBytes(byte[] buf, int offset, int length, long ts) {
                    feed(buf, offset, length, ts);
                }

                @Override
                public void onBroken() {
                    gap();
                    handler.onDesync();
                }
            });
        }
    }

    boolean compressed() {
        return decompressor != null;
    }

    @Override
    public void onData(byte[] buf, int offset, int len, long ts) {
        if (decompressor != null) {
            decompressor.onData(buf, offset, len, ts);
            return;
        }
        int used = feed(buf, offset, len, ts);
        if (state == State.HANDOFF) {
            state = State.STOPPED;
            if (used < len) {
                handler.onTail(buf, offset + used, len - used, ts);
            }
            return;
        }
        if (used < len && decompressor != null && state != State.STOPPED) {
            decompressor.onData(buf, offset + used, len - used, ts);
        }
    }

    /** Bytes are missing here: whatever was partial is given up and the direction probes for a boundary. */
    @Override
    public void gap() {
        if (state == State.STOPPED) {
            return;
        }
        if (decompressor != null) {
            decompressor.gap();
        }
        enterResync();
    }

    /**
     * The other direction spoke: bytes still in the probe window belong to an exchange that is over; probing
     * starts afresh with this direction's next byte, so a chain found across the turn cannot swallow the first
     * packet of the next answer.
     */
    @Override
    public void exchangeBoundary() {
        if (state == State.RESYNC) {
            boundary().discard();
        }
    }

    /** Feeds plain protocol bytes; returns how many were used (fewer when compression switched on midway). */
    private int feed(byte[] in, int offset, int len, long ts) {
        int pos = offset;
        int end = offset + len;
        boolean plain = decompressor == null;
        while (pos < end && state != State.STOPPED && state != State.HANDOFF) {
            if (plain && decompressor != null) {
                break; // the handler just switched compression on: the rest is compressed
            }
            State s = state;
            if (s == State.HEADER) { // compared by identity: no switch table per step
                pos = decodeHeader(in, pos, end, ts);
            } else if (s == State.BODY) {
                pos = decodeBody(in, pos, end, ts);
            } else if (s == State.RESYNC) {
                pos = probe(in, pos, end, ts);
            } else {
                pos = end;
            }
        }
        return pos - offset;
    }

    private int decodeHeader(byte[] in, int pos, int end, long ts) {
        if (headerFill == 0 && !continuing) {
            firstTs = ts;
        }
        int n;
        int len;
        int seq;
        if (headerFill == 0 && end - pos >= MySqlWire.HEADER) { // the usual case: read in place, no copy
            n = MySqlWire.HEADER;
            len = MySqlWire.int3(in, pos);
            seq = in[pos + 3] & 0xff;
        } else {
            n = Math.min(MySqlWire.HEADER - headerFill, end - pos);
            if (header == null) {
                header = new byte[MySqlWire.HEADER];
            }
            System.arraycopy(in, pos, header, headerFill, n);
            headerFill += n;
            if (headerFill < MySqlWire.HEADER) {
                return pos + n;
            }
            headerFill = 0;
            len = MySqlWire.int3(header, 0);
            seq = header[3] & 0xff;
        }
        if (continuing) {
            counters.increment(MySqlEvent.CONTINUATION_PACKETS);
            if (seq != ((lastSeq + 1) & 0xff)) {
                counters.increment(MySqlEvent.SEQUENCE_VIOLATION);
            }
        } else {
            firstSeq = seq;
            length = 0;
            kept = 0;
            wire = 0;
            keepLimit = -1;
        }
        lastSeq = seq;
        if (length + len > maxMessageBytes) {
            counters.increment(MySqlEvent.OVERSIZED_LENGTH);
            counters.add(MySqlEvent.RESYNC_SKIPPED_BYTES, MySqlWire.HEADER);
            enterResync();
            handler.onDesync();
            return pos + n;
        }
        length += len;
        wire += MySqlWire.HEADER + (long) len;
        physicalRemaining = len;
        continuing = len == MySqlWire.MAX_PAYLOAD;
        state = State.BODY;
        if (len == 0) {
            endPhysical(ts);
        }
        return pos + n;
    }

    private int decodeBody(byte[] in, int pos, int end, long ts) {
        int take = (int) Math.min(physicalRemaining, end - pos);
        if (keepLimit < 0 && take > 0) {
            int want = Math.max(1, handler.keep(in[pos] & 0xff));
            keepLimit = Math.min(keepCap, want);
            wantAll = want > keepCap;
        }
        int copy = Math.min(take, keepLimit - kept);
        if (copy > 0) {
            int got = body.append(kept, in, pos, copy);
            kept += got;
            if (got < copy) {
                keepLimit = kept; // the memory budget refused more: the rest is counted, not kept
            }
        }
        physicalRemaining -= take;
        if (physicalRemaining == 0) {
            endPhysical(ts);
        }
        return pos + take;
    }

    private void endPhysical(long ts) {
        state = State.HEADER;
        if (continuing) {
            return; // the next physical packet continues this payload
        }
        MySqlPacket packet = packet();
        packet.seq = firstSeq;
        packet.lastSeq = lastSeq;
        packet.length = length;
        packet.body = body.array();
        packet.kept = kept;
        packet.truncated = length > kept;
        packet.wireBytes = wire;
        packet.firstTs = firstTs;
        packet.lastTs = ts;
        if (packet.truncated && wantAll) {
            counters.increment(MySqlEvent.MESSAGE_TRUNCATED);
        }
        counters.increment(MySqlEvent.PACKETS_PARSED);
        handler.onFrame(packet);
        body.release();
    }

    @Override
    public void trimIdle() {
        if (state != State.BODY && headerFill == 0 && !continuing) {
            body.trim();
            packet = null; // made again by the next packet, like the buffer
            header = null;
            if (state != State.RESYNC) {
                boundary = null;
            }
        }
    }

    private MySqlPacket packet() {
        if (packet == null) {
            packet = new MySqlPacket();
        }
        return packet;
    }

    private BoundaryProbe boundary() {
        if (boundary == null) {
            boundary = new BoundaryProbe(client, maxMessageBytes, counters);
        }
        return boundary;
    }

    /** Bytes held by this direction's body buffer (for memory-bound tests). */
    int bufferCapacity() {
        return body.capacity();
    }

    private void enterResync() {
        state = State.RESYNC;
        counters.increment(MySqlEvent.RESYNCS);
        headerFill = 0;
        continuing = false;
        boundary().reset();
    }

    private int probe(byte[] in, int pos, int end, long ts) {
        BoundaryProbe boundary = boundary();
        int n = boundary.offer(in, pos, end);
        int c = boundary.find();
        if (c >= 0) {
            counters.add(MySqlEvent.RESYNC_SKIPPED_BYTES, c);
            byte[] rest = boundary.takeFrom(c);
            state = State.HEADER;
            firstTs = ts;
            feed(rest, 0, rest.length, ts);
        }
        return pos + n;
    }

    @Override
    public void chargeTo(MemoryAccount account) {
        body.chargeTo(account, MemoryConsumer.MESSAGE_BUFFERS,
                ShedReason.MESSAGE_TRUNCATED);
    }
}
