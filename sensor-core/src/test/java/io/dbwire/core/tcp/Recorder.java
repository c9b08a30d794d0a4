package io.dbwire.core.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A listener factory that records everything each connection's listener receives. */
final class Recorder implements StreamListenerFactory {
    private final Set<Integer> serverPorts;
    final List<ConnectionInfo> opened = new ArrayList<>();
    final Map<Long, Conn> conns = new LinkedHashMap<>();
    boolean decline;

    Recorder(Integer... serverPorts) {
        this.serverPorts = Set.of(serverPorts);
    }

    @Override
    public StreamListener open(ConnectionInfo connection) {
        opened.add(connection);
        if (decline) {
            return null;
        }
        Conn c = new Conn(connection);
        conns.put(connection.id(), c);
        return c;
    }

    @Override
    public boolean isServerPort(int port) {
        return serverPorts.contains(port);
    }

    Conn only() {
        assertThat(conns).hasSize(1);
        return conns.values().iterator().next();
    }

    Conn get(long id) {
        return conns.get(id);
    }

    static final class Conn implements StreamListener {
        final ConnectionInfo info;
        private final ByteArrayOutputStream[] bytes = {new ByteArrayOutputStream(), new ByteArrayOutputStream()};
        private final StringBuilder[] layout = {new StringBuilder(), new StringBuilder()};
        private final long[] run = new long[2];
        private final char[] runKind = new char[2];
        final long[] gapBytes = new long[2];
        /** Calls of onQuiet (the idle trim). */
        int quiet;
        /** Packet time of every onData call, per direction. */
        private final java.util.List<java.util.List<Long>> times = java.util.List.of(new java.util.ArrayList<>(),
                new java.util.ArrayList<>());
        CloseReason closeReason;
        long closeTs;
        int closes;

        Conn(ConnectionInfo info) {
            this.info = info;
        }

        @Override
        public void onData(Direction d, byte[] buffer, int offset, int length, long ts) {
            assertThat(closes).as("data after close").isZero();
            assertThat(length).isPositive();
            bytes[d.ordinal()].write(buffer, offset, length);
            times.get(d.ordinal()).add(ts);
            append(d, 'D', length);
        }

        @Override
        public void onQuiet() {
            quiet++;
        }

        @Override
        public void onGap(Direction d, long missingBytes, long ts) {
            assertThat(closes).as("gap after close").isZero();
            assertThat(missingBytes).isPositive();
            gapBytes[d.ordinal()] += missingBytes;
            append(d, 'G', missingBytes);
        }

        @Override
        public void onClose(CloseReason reason, long ts) {
            closes++;
            closeReason = reason;
            closeTs = ts;
        }

        private void append(Direction d, char kind, long n) {
            int i = d.ordinal();
            if (runKind[i] == kind) {
                run[i] += n;
                return;
            }
            flushRun(i);
            runKind[i] = kind;
            run[i] = n;
        }

        private void flushRun(int i) {
            if (runKind[i] != 0) {
                layout[i].append(layout[i].length() == 0 ? "" : " ").append(runKind[i]).append(run[i]);
            }
        }

        java.util.List<Long> times(Direction d) {
            return times.get(d.ordinal());
        }

        byte[] bytes(Direction d) {
            return bytes[d.ordinal()].toByteArray();
        }

        /** Runs of data and gaps, adjacent ones merged, e.g. {@code "D10 G5 D3"}; "" when nothing came. */
        String layout(Direction d) {
            int i = d.ordinal();
            StringBuilder sb = new StringBuilder(layout[i]);
            if (runKind[i] != 0) {
                sb.append(sb.length() == 0 ? "" : " ").append(runKind[i]).append(run[i]);
            }
            return sb.toString();
        }
    }
}
