package io.dbwire.daemon.it;

import io.dbwire.core.record.TransactionRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Why statements of an impaired capture are not exact: each removed packet is named by what it carried (the first
 * message in it: a PostgreSQL Parse, a MySQL COM_STMT_PREPARE, an answer…), and each clean statement that is not
 * exact by the cause that fits it: its text unknown (the statement's prepare was lost), a packet of its own
 * exchange lost (request or answer, between its request's first packet and its answer's last), or nothing of its
 * own lost (the cost of re-synchronising after a neighbour's loss). Printed by {@link MirrorLossCaptureTest}.
 */
final class LossCauses {
    /** Removed packets by what they carried, e.g. {@code client Parse}, {@code server DataRow}. */
    final Map<String, Integer> lostPackets = new TreeMap<>();
    /** Clean statements not exact, by cause and column, e.g. {@code own answer lost -> incomplete}. */
    final Map<String, Integer> misses = new TreeMap<>();

    private static final String NOTHING_OWN = "nothing of its own lost";

    private record Lost(long tsMicros, int clientPort, boolean fromClient, String carried) {}

    /**
     * @param serverPort the database port of the capture
     * @param mysql      whether the capture is MySQL (else PostgreSQL)
     * @param notExact   the clean statements the tally did not count exact, with their column
     */
    void add(List<LossyPcap.Dropped> dropped, int serverPort, boolean mysql, List<LossTally.Miss> notExact) {
        List<Lost> lost = new ArrayList<>();
        for (LossyPcap.Dropped d : dropped) {
            Lost l = describe(d, serverPort, mysql);
            if (l != null) {
                lost.add(l);
                lostPackets.merge((l.fromClient ? "client " : "server ") + l.carried, 1, Integer::sum);
            }
        }
        for (LossTally.Miss m : notExact) {
            misses.merge(cause(m, lost) + " -> " + m.column(), 1, Integer::sum);
        }
    }

    /** Statements that lost nothing of their own and are not exact for a reason other than an unknown text. */
    int collateral() {
        int n = 0;
        for (Map.Entry<String, Integer> e : misses.entrySet()) {
            if (e.getKey().startsWith(NOTHING_OWN) && !e.getKey().endsWith("unknown")) {
                n += e.getValue();
            }
        }
        return n;
    }

    void merge(LossCauses o) {
        o.lostPackets.forEach((k, v) -> lostPackets.merge(k, v, Integer::sum));
        o.misses.forEach((k, v) -> misses.merge(k, v, Integer::sum));
    }

    private static String cause(LossTally.Miss m, List<Lost> lost) {
        TransactionRecord c = m.clean();
        long end = c.tsMicros() + (c.response() == null || c.response().durationUs() == null ? 0
                : c.response().durationUs());
        boolean request = false;
        boolean answer = false;
        for (Lost l : lost) {
            if (l.clientPort == c.client().port() && l.tsMicros >= c.tsMicros() && l.tsMicros <= end) {
                request |= l.fromClient;
                answer |= !l.fromClient;
            }
        }
        if (request || answer) {
            return "own " + (request && answer ? "request+answer" : request ? "request" : "answer") + " lost";
        }
        return NOTHING_OWN;
    }

    /** Renders both maps as two small tables. */
    String table(String title) {
        StringBuilder sb = new StringBuilder(title).append("\n| removed packet carried | packets |\n|---|---|\n");
        lostPackets.forEach((k, v) -> sb.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        sb.append("| statement not exact: cause -> column | statements |\n|---|---|\n");
        misses.forEach((k, v) -> sb.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        return sb.toString();
    }

    /** Ethernet + IPv4/IPv6 + TCP: who sent it and what the first message in its payload is. */
    private static Lost describe(LossyPcap.Dropped d, int serverPort, boolean mysql) {
        byte[] f = d.bytes();
        int type = ((f[12] & 0xFF) << 8) | (f[13] & 0xFF);
        int tcp;
        if (type == 0x0800) {
            tcp = 14 + (f[14] & 0x0F) * 4;
        } else if (type == 0x86DD) {
            tcp = 14 + 40;
        } else {
            return null;
        }
        int src = ((f[tcp] & 0xFF) << 8) | (f[tcp + 1] & 0xFF);
        int dst = ((f[tcp + 2] & 0xFF) << 8) | (f[tcp + 3] & 0xFF);
        int payload = tcp + ((f[tcp + 12] & 0xF0) >>> 4) * 4;
        boolean fromClient = dst == serverPort;
        int clientPort = fromClient ? src : dst;
        String carried = payload >= f.length ? "nothing" : mysql ? mysql(f, payload, fromClient) : pg(f[payload], fromClient);
        return new Lost(d.tsMicros(), clientPort, fromClient, carried);
    }

    private static String pg(byte t, boolean fromClient) {
        String name = fromClient ? switch (t) {
            case 'P' -> "Parse";
            case 'B' -> "Bind";
            case 'E' -> "Execute";
            case 'Q' -> "Query";
            case 'd' -> "CopyData";
            case 'c' -> "CopyDone";
            case 'S' -> "Sync";
            default -> null;
        } : switch (t) {
            case '1' -> "ParseComplete";
            case '2' -> "BindComplete";
            case 'T' -> "RowDescription";
            case 'D' -> "DataRow";
            case 'C' -> "CommandComplete";
            case 'Z' -> "ReadyForQuery";
            case 'G' -> "CopyInResponse";
            case 'H' -> "CopyOutResponse";
            case 'd' -> "CopyData";
            case 'E' -> "ErrorResponse";
            case 'n' -> "NoData";
            default -> null;
        };
        return name == null ? "(inside a message)" : name;
    }

    private static String mysql(byte[] f, int p, boolean fromClient) {
        if (p + 5 > f.length) {
            return "(short)";
        }
        int length = (f[p] & 0xFF) | (f[p + 1] & 0xFF) << 8 | (f[p + 2] & 0xFF) << 16;
        int seq = f[p + 3] & 0xFF;
        int first = f[p + 4] & 0xFF;
        if (fromClient) {
            if (seq != 0) {
                return "(continuation)";
            }
            return switch (first) {
                case 0x03 -> "COM_QUERY";
                case 0x16 -> "COM_STMT_PREPARE";
                case 0x17 -> "COM_STMT_EXECUTE";
                case 0x19 -> "COM_STMT_CLOSE";
                default -> "command " + first;
            };
        }
        if (seq == 1 && first == 0x00 && length == 12) {
            return "COM_STMT_PREPARE_OK";
        }
        return seq == 1 ? (first == 0x00 ? "OK" : first == 0xFF ? "ERR" : "result set start") : "(answer continued)";
    }
}
