package io.dbwire.core.tcp;

import io.dbwire.core.config.MemoryConfig;
import io.dbwire.core.config.TcpConfig;
import io.dbwire.core.decap.DecodedPacket;
import io.dbwire.core.memory.MemoryAccount;
import io.dbwire.core.memory.MemoryBudget;
import io.dbwire.core.memory.MemoryCharged;
import io.dbwire.core.memory.MemoryConsumer;
import io.dbwire.core.memory.ShedReason;
import io.dbwire.core.util.ReasonCounters;

/**
 * The TCP layer: finds the connection of each segment, assigns client and server roles, reassembles both
 * directions and drives the connection's {@link StreamListener}. Everything runs on packet time. Single-threaded.
 *
 * <p>Roles: the sender of a SYN without ACK is the client, of a SYN+ACK the server. Without a handshake the
 * database port decides ({@link StreamListenerFactory#isServerPort}): sent to it, the sender is the client; sent
 * from it, the server. Flows with no database port are counted and never enter the table.
 *
 * <p>Bounds: at most {@code maxFlows} entries (the least recently active is evicted); out-of-order bytes per
 * direction and in total; idle flows are closed on packet time, checked at most once per second of it.
 */
public final class TcpTracker {
    /** Idle expiry runs at most this often (packet time), walking only the expired head of the LRU list. */
    static final long IDLE_SCAN_INTERVAL_MICROS = 1_000_000L;

    /**
     * A connection quiet this long (packet time) gives back its parsers' regrowable buffers ({@link
     * StreamListener#onQuiet}), checked with idle expiry: a pooled connection at rest then holds only its state,
     * and one that speaks more often than this never pays the re-allocation.
     */
    static final long QUIET_TRIM_MICROS = 5_000_000L;

    private static final long SEQ_MASK = 0xFFFF_FFFFL;
    /** Two packets with one fingerprint this close in packet time are mirror copies of one packet. */
    static final long MIRROR_COPY_WINDOW_MICROS = 1_000_000L;
    /** Packets of a connection closed by FIN or RST less than this ago are late copies, not a new connection. */
    static final long AFTER_CLOSE_WINDOW_MICROS = 1_000_000L;
    /**
     * Heap of a tracked connection at rest, charged to {@link MemoryConsumer#FLOWS}: flow entry, both
     * reassemblers, protocol session and framers without their body buffers (a live connection after the idle
     * trim: docs/operations.md, "Memory budget"). Growth beyond — body buffers, catalogs, held segments — is
     * charged by whoever grows.
     */
    public static final int FLOW_BYTES = MemoryConfig.BYTES_PER_FLOW;
    /** A flow table slot: one reference (compressed oops below 32 GiB of heap). */
    static final int SLOT_BYTES = 4;
    /** A declined connection's negative entry: the flow object and its mirror-copy ring only. */
    public static final int DECLINED_FLOW_BYTES = 320;

    private final TcpConfig config;
    private final StreamListenerFactory factory;
    private final FlowTable table;
    private final BufferBudget budget;
    private final MemoryBudget memory;
    private final ReasonCounters<TcpEvent> counters = new ReasonCounters<>(TcpEvent.class);
    private final CrossDirectionHold hold;
    private final FinWait finWait;
    private final AddressNames addressNames = new AddressNames();
    /** Slots of the flow table charged to the budget so far (it grows with the flows, up to twice the bound). */
    private int chargedSlots;
    private long nextConnectionId;
    /** Ids go up by this step, so that trackers of several shards never hand out the same id. */
    private final int connectionIdStep;
    private long flowsOpened;
    private long nextIdleScan = Long.MIN_VALUE;
    private int tombstones;

    public TcpTracker(TcpConfig config, StreamListenerFactory factory) {
        this(config, factory, 0, 1);
    }

    /**
     * One of {@code shardCount} trackers that share a connection id space: this one numbers its connections
     * {@code shard + 1}, {@code shard + 1 + shardCount}, …
     */
    public TcpTracker(TcpConfig config, StreamListenerFactory factory, int shard, int shardCount) {
        this(config, factory, shard, shardCount, MemoryBudget.unlimited());
    }

    /** A shard's tracker drawing flows, reassembly and its connections' parser state from {@code memory}. */
    public TcpTracker(TcpConfig config, StreamListenerFactory factory, int shard, int shardCount,
            MemoryBudget memory) {
        this.memory = memory;
        this.nextConnectionId = shard + 1L;
        this.connectionIdStep = shardCount;
        this.config = config;
        this.factory = factory;
        this.table = new FlowTable(config.maxFlows());
        chargedSlots = table.capacity();
        memory.charge(MemoryConsumer.FLOWS, chargedSlots * (long) SLOT_BYTES); // the slot array, for good
        this.budget = new BufferBudget(config.maxBufferedBytesTotal(), memory);
        this.hold = new CrossDirectionHold(this::segment, budget, counters, config.maxBufferedBytesPerFlow(),
                config.reorderWindowMicros());
        this.finWait = new FinWait(config.reorderWindowMicros(), this::closeByFins);
    }

    public void onPacket(DecodedPacket p) {
        long now = p.tsMicros;
        expireIdle(now);
        finWait.expire(now);
        if (memory.overHighMark()) {
            shedForMemory(now); // between packets: no parser is in the middle of a message
        }
        // Canonical order: endpoint A is the smaller (address, port), so both directions share one key.
        boolean srcIsA = compareEndpoints(p.srcHi, p.srcLo, p.srcPort, p.dstHi, p.dstLo, p.dstPort) <= 0;
        long aHi = srcIsA ? p.srcHi : p.dstHi;
        long aLo = srcIsA ? p.srcLo : p.dstLo;
        int aPort = srcIsA ? p.srcPort : p.dstPort;
        long bHi = srcIsA ? p.dstHi : p.srcHi;
        long bLo = srcIsA ? p.dstLo : p.srcLo;
        int bPort = srcIsA ? p.dstPort : p.srcPort;
        int hash = FlowTable.hash(aHi, aLo, aPort, bHi, bLo, bPort);
        Flow flow = table.find(hash, aHi, aLo, aPort, bHi, bLo, bPort);
        if (flow != null && flow.tombstone()) {
            if (!p.hasFlag(DecodedPacket.SYN) && Math.abs(now - flow.closedMicros) < AFTER_CLOSE_WINDOW_MICROS) {
                counters.increment(TcpEvent.AFTER_CLOSE);
                return;
            }
            dropTombstone(flow);
            flow = null;
        }
        long print = fingerprint(p, srcIsA);
        if (flow != null && flow.seenRecently(print, now, MIRROR_COPY_WINDOW_MICROS)) {
            counters.increment(TcpEvent.MIRROR_DUPLICATE);
            table.touch(flow);
            return;
        }

        boolean synOnly = p.hasFlag(DecodedPacket.SYN) && !p.hasFlag(DecodedPacket.ACK);
        if (flow != null && synOnly && flow.clientSynSeq != p.seq) {
            // A SYN with a new ISN: the old connection is over (closed, closing, or its end was never seen).
            counters.increment(TcpEvent.PORT_REUSE);
            close(flow, CloseReason.PORT_REUSE, now);
            flow = null;
        }
        if (flow == null) {
            flow = open(p, srcIsA, hash, now);
            if (flow == null) {
                return;
            }
        } else {
            table.touch(flow);
        }
        flow.lastSeenMicros = Math.max(flow.lastSeenMicros, now);
        flow.remember(print, now);
        if (!flow.declined()) {
            segmentOrHold(flow, p, srcIsA == flow.clientIsA, now);
        } else if (p.hasFlag(DecodedPacket.RST)) {
            table.remove(flow); // a declined connection ended: free its entry early
            flow.memory.close();
        }
    }

    /** End of input: every connection delivers what it holds, reports its holes, and is closed. */
    public void closeAll(long tsMicros) {
        for (Flow f = table.oldest(); f != null; f = table.oldest()) {
            if (f.tombstone()) {
                dropTombstone(f);
                continue;
            }
            counters.increment(TcpEvent.END_OF_INPUT_CLOSED);
            close(f, CloseReason.END_OF_INPUT, tsMicros);
        }
    }

    public ReasonCounters<TcpEvent> counters() {
        return counters;
    }

    /**
     * Entries in the flow table, negative entries included, closed connections' short-lived tombstones not;
     * with those, never above {@code maxFlows}.
     */
    public int activeFlows() {
        return table.size() - tombstones;
    }

    /** Connections given an id and offered to the factory since the start. */
    public long flowsOpened() {
        return flowsOpened;
    }

    /** The shard's memory budget this tracker draws from. */
    public MemoryBudget memory() {
        return memory;
    }

    /** Out-of-order bytes currently held across all flows. */
    public long bufferedBytes() {
        return budget.used();
    }

    private Flow open(DecodedPacket p, boolean srcIsA, int hash, long now) {
        boolean syn = p.hasFlag(DecodedPacket.SYN);
        if (!syn && p.payloadLength == 0 && p.payloadMissing == 0) {
            // A pure ACK, FIN or RST of a flow we do not know (often the tail of one just closed): no new state.
            counters.increment(TcpEvent.UNTRACKED_CONTROL);
            return null;
        }
        boolean senderIsClient;
        if (syn) {
            senderIsClient = !p.hasFlag(DecodedPacket.ACK);
        } else if (factory.isServerPort(p.dstPort)) {
            senderIsClient = true;
        } else {
            senderIsClient = !factory.isServerPort(p.srcPort);
        }
        int serverPort = senderIsClient ? p.dstPort : p.srcPort;
        if (!factory.isServerPort(serverPort) && !(syn && factory.acceptsOtherPorts())) {
            counters.increment(TcpEvent.NOT_DATABASE);
            return null;
        }
        while (table.size() >= Math.max(1, config.maxFlows())) {
            Flow oldest = table.oldest();
            if (oldest.tombstone()) {
                dropTombstone(oldest);
                continue;
            }
            counters.increment(TcpEvent.EVICTED_FLOWS);
            close(oldest, CloseReason.EVICTED, now);
        }
        while (memory.available() < FLOW_BYTES && evictForMemory(now)) {
            // the least recently active flows go first, whatever they hold
        }
        boolean clientIsA = senderIsClient == srcIsA;
        Flow flow = new Flow(
                srcIsA ? p.srcHi : p.dstHi, srcIsA ? p.srcLo : p.dstLo, srcIsA ? p.srcPort : p.dstPort,
                srcIsA ? p.dstHi : p.srcHi, srcIsA ? p.dstLo : p.srcLo, srcIsA ? p.dstPort : p.srcPort,
                p.vni, hash, clientIsA, nextConnectionId);
        nextConnectionId += connectionIdStep;
        flow.lastSeenMicros = now;
        if (syn && senderIsClient) {
            flow.clientSynSeq = p.seq & SEQ_MASK; // recognise a retransmitted SYN even on a declined flow
        }
        String senderIp = addressNames.format(p.srcHi, p.srcLo);
        String receiverIp = addressNames.format(p.dstHi, p.dstLo);
        ConnectionInfo info = senderIsClient
                ? new ConnectionInfo(flow.id, p.vni, senderIp, p.srcPort, receiverIp, p.dstPort, !syn, now)
                : new ConnectionInfo(flow.id, p.vni, receiverIp, p.dstPort, senderIp, p.srcPort, !syn, now);
        flowsOpened++;
        StreamListener listener = factory.open(info);
        flow.memory = new MemoryAccount(memory);
        if (listener == null) {
            counters.increment(TcpEvent.DECLINED_BY_FACTORY);
            flow.memory.grow(MemoryConsumer.FLOWS, DECLINED_FLOW_BYTES);
        } else {
            flow.memory.grow(MemoryConsumer.FLOWS, FLOW_BYTES);
            if (listener instanceof MemoryCharged) {
                ((MemoryCharged) listener).chargeTo(flow.memory);
            }
            int perFlow = config.maxBufferedBytesPerFlow();
            flow.listener = listener;
            long window = config.reorderWindowMicros();
            flow.toServer = new StreamReassembler(Direction.CLIENT_TO_SERVER, listener, budget, counters, perFlow,
                    window);
            flow.toClient = new StreamReassembler(Direction.SERVER_TO_CLIENT, listener, budget, counters, perFlow,
                    window);
            StreamReassembler.pair(flow.toServer, flow.toClient);
        }
        insert(flow);
        return flow;
    }

    /** Processes the packet, unless {@link CrossDirectionHold} holds it until the peer's bytes arrive. */
    private void segmentOrHold(Flow flow, DecodedPacket p, boolean fromClient, long now) {
        hold.release(flow, now, false);
        if (flow.listener == null || hold.offer(flow, p, fromClient, now)) {
            return;
        }
        segment(flow, fromClient, p.tcpFlags, p.seq & SEQ_MASK, p.ack & SEQ_MASK, p.data, p.payloadOffset,
                p.payloadLength, p.payloadMissing, now);
        hold.release(flow, now, false);
        finWait.check(flow, now); // both FINs seen while segments were held, or the data a FIN overtook came
    }

    private void closeByFins(Flow flow, long now) {
        counters.increment(TcpEvent.FIN_CLOSED);
        close(flow, CloseReason.FIN, now);
    }

    private void segment(Flow flow, boolean fromClient, int flags, long seq, long ackSeq, byte[] data, int off,
            int len, int missing, long now) {
        if ((flags & DecodedPacket.RST) != 0) {
            counters.increment(TcpEvent.RST_CLOSED);
            close(flow, CloseReason.RST, now);
            return;
        }
        StreamReassembler own = fromClient ? flow.toServer : flow.toClient;
        StreamReassembler peer = fromClient ? flow.toClient : flow.toServer;
        boolean ack = (flags & DecodedPacket.ACK) != 0;
        if ((flags & DecodedPacket.SYN) != 0) {
            if (fromClient && !ack) {
                flow.clientSynSeq = seq;
            }
            if (!own.initialized()) {
                own.init(seq + 1); // the SYN occupies one sequence number
            }
            if (ack && !peer.initialized()) {
                peer.init(ackSeq); // a SYN+ACK acknowledges the client's ISN + 1: its first data byte
            }
            if (ack && !fromClient && flow.clientSynSeq < 0) {
                flow.clientSynSeq = (ackSeq - 1) & SEQ_MASK; // so a late copy of that SYN is not taken for reuse
            }
            seq = (seq + 1) & SEQ_MASK;
        }
        if (ack) {
            // First, since the peer's acknowledged bytes were sent before this packet.
            peer.onAck(ackSeq, now);
        }
        if (len > 0 || missing > 0) {
            own.onSegment(seq, data, off, len, missing, now);
        }
        if ((flags & DecodedPacket.FIN) != 0) {
            own.onFin((seq + len + missing) & SEQ_MASK);
            finWait.check(flow, now);
        }
    }

    private void expireIdle(long now) {
        // Also scan when packet time jumped backwards (e.g. concatenated captures), so expiry cannot stall.
        if (now < nextIdleScan && now >= nextIdleScan - IDLE_SCAN_INTERVAL_MICROS) {
            return;
        }
        nextIdleScan = now + IDLE_SCAN_INTERVAL_MICROS;
        for (Flow f = table.oldest(); f != null && now - f.lastSeenMicros >= config.idleTimeoutMicros();
                f = table.oldest()) {
            if (f.tombstone()) {
                dropTombstone(f);
                continue;
            }
            counters.increment(TcpEvent.IDLE_CLOSED);
            close(f, CloseReason.IDLE_TIMEOUT, now);
        }
        trimQuiet(now);
    }

    /**
     * Walks the LRU list on from the flows trimmed before, so each quiet spell of a connection is trimmed once and
     * a scan costs only the connections that went quiet since the last one.
     */
    private void trimQuiet(long now) {
        for (Flow f = table.nextToTrim(); f != null && now - f.lastSeenMicros >= QUIET_TRIM_MICROS; f = f.lruNext) {
            trim(f, now);
        }
    }

    /**
     * Over the budget's high mark: first trims the connections not trimmed yet, least recently active first, as if
     * they had been quiet, until the total is under the low mark (a burst of logins within the quiet time would
     * otherwise be evicted while each holds buffers it needs only mid-message). Only if the total is still over
     * the high mark with all of them trimmed does it close the least recently active connections (flushing them,
     * counted {@code memory.flow_evicted}) until it is under the low mark or no connection is left.
     */
    private void shedForMemory(long now) {
        for (Flow f = table.nextToTrim(); f != null && !memory.underLowMark(); f = f.lruNext) {
            trim(f, now); // between packets, and the parsers trim only between messages: nothing is lost
        }
        if (!memory.overHighMark()) {
            return; // connections at rest between the marks are what the budget is for
        }
        while (!memory.underLowMark() && evictForMemory(now)) {
            // oldest first
        }
    }

    /** Lets {@code f}'s parsers give back what a connection at rest does not need; marks it trimmed. */
    private void trim(Flow f, long now) {
        if (f.listener != null) {
            f.listener.onQuiet();
        }
        if (now - f.lastSeenMicros >= MIRROR_COPY_WINDOW_MICROS) {
            f.forgetRecent(); // nothing in the ring can match any more
        }
        table.trimmed(f);
    }

    /** Frees the least recently active entry; false when the table is empty. */
    private boolean evictForMemory(long now) {
        Flow oldest = table.oldest();
        if (oldest == null) {
            return false;
        }
        if (oldest.tombstone()) {
            dropTombstone(oldest);
        } else {
            memory.shed(ShedReason.FLOW_EVICTED);
            close(oldest, CloseReason.EVICTED, now);
        }
        return true;
    }

    /** Removes the flow; a tracked connection flushes both directions (gaps for holes) and is closed once. */
    private void close(Flow flow, CloseReason reason, long now) {
        table.remove(flow);
        if (flow.listener == null) {
            flow.memory.close();
            return;
        }
        flow.closing = true;
        flow.finsSeenMicros = FinWait.NOT_WAITING;
        hold.release(flow, now, true); // held segments first, in conversation order, with gaps for the peer
        StreamListener listener = flow.listener;
        flow.listener = null;
        flow.toServer.flush(now);
        flow.toClient.flush(now);
        listener.onClose(reason, now);
        flow.memory.close(); // whatever the parsers still hold goes back with the connection
        if (reason == CloseReason.FIN || reason == CloseReason.RST) {
            // Keep the key for a moment: late mirror copies and retransmissions of the last packets must not
            // open a new mid-stream connection. A SYN, or any packet after the window, replaces it.
            flow.toServer = null;
            flow.toClient = null;
            flow.closedMicros = now;
            flow.lastSeenMicros = now;
            insert(flow);
            tombstones++;
        }
    }

    private void insert(Flow flow) {
        table.insert(flow);
        if (table.capacity() != chargedSlots) { // the table doubled: its new slots are held for good too
            memory.charge(MemoryConsumer.FLOWS, (table.capacity() - chargedSlots) * (long) SLOT_BYTES);
            chargedSlots = table.capacity();
        }
    }

    private void dropTombstone(Flow f) {
        table.remove(f);
        tombstones--;
    }

    /** Identical for the two mirror copies of a packet; differs for a retransmission (see copyDigest). */
    private static long fingerprint(DecodedPacket p, boolean srcIsA) {
        long h = p.copyDigest;
        h = h * 0x9E3779B97F4A7C15L + p.seq;
        h = h * 0x9E3779B97F4A7C15L + p.ack;
        h = h * 0x9E3779B97F4A7C15L + (((long) p.tcpFlags << 33) | (srcIsA ? 1L << 32 : 0) | p.payloadLength);
        h = h * 0x9E3779B97F4A7C15L + p.payloadMissing;
        return h ^ (h >>> 31);
    }

    private static int compareEndpoints(long aHi, long aLo, int aPort, long bHi, long bLo, int bPort) {
        int c = Long.compareUnsigned(aHi, bHi);
        if (c == 0) {
            c = Long.compareUnsigned(aLo, bLo);
        }
        return c != 0 ? c : Integer.compare(aPort, bPort);
    }
}
