package io.dbwire.daemon.it;

import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.StatementInfo;
import io.dbwire.core.record.TransactionRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How well records keep the time of their own packets in one replay (issue 11): among complete statement records
 * (not {@code incomplete}, with a response), how many have {@code duration_us} 0, how many have no timing because
 * their request's packet arrived after its answer began (null, see docs/reassembly.md), and how many share their
 * {@code ts} with another statement of the same connection. A cascade of held segments released at one moment
 * shows as many zeros and shared times. {@link #compare} checks, record by record, that a replay whose packets
 * were only reordered keeps the clean capture's times within the reordering delay.
 */
final class LossTiming {
    int complete;
    int zeroDuration;
    int unknownDuration;
    /** Records made from the answer of a request the mirror lost (no request time exists for them). */
    int answersOfLostRequests;
    int sharedTs;
    /** Records compared by position with the clean capture, and those whose ts or duration moved too far. */
    int compared;
    int moved;
    final List<String> movedExamples = new ArrayList<>();

    /** A complete record whose timings are null: its request's packet came after its answer (not a made-up 0). */
    static boolean timingUnknown(TransactionRecord r) {
        return r.status() != RecordStatus.INCOMPLETE && r.response() != null && r.response().serverUs() == null
                && r.response().durationUs() == null;
    }

    static LossTiming of(List<TransactionRecord> records) {
        LossTiming t = new LossTiming();
        t.add(records);
        return t;
    }

    void add(List<TransactionRecord> records) {
        Map<Long, Map<Long, Integer>> tsPerConnection = new HashMap<>();
        for (TransactionRecord r : records) {
            if (r.kind() == RecordKind.STATEMENT) {
                tsPerConnection.computeIfAbsent(r.connectionId(), k -> new HashMap<>())
                        .merge(r.tsMicros(), 1, Integer::sum);
            }
        }
        for (TransactionRecord r : records) {
            if (r.kind() != RecordKind.STATEMENT || r.status() == RecordStatus.INCOMPLETE || r.response() == null) {
                continue;
            }
            complete++;
            Long d = r.response().durationUs();
            if (d != null && d == 0) {
                zeroDuration++;
            }
            if (StatementInfo.REQUEST_NOT_SEEN.equals(r.statement() == null ? null : r.statement().textUnknown())) {
                answersOfLostRequests++; // no request seen, so no time for it: counted apart from late requests
            } else if (timingUnknown(r)) {
                unknownDuration++;
            }
            if (tsPerConnection.get(r.connectionId()).get(r.tsMicros()) > 1) {
                sharedTs++;
            }
        }
    }

    void merge(LossTiming o) {
        complete += o.complete;
        zeroDuration += o.zeroDuration;
        unknownDuration += o.unknownDuration;
        answersOfLostRequests += o.answersOfLostRequests;
        sharedTs += o.sharedTs;
        compared += o.compared;
        moved += o.moved;
        if (movedExamples.size() < 5) {
            movedExamples.addAll(o.movedExamples.subList(0, Math.min(o.movedExamples.size(), 5)));
        }
    }

    /**
     * Reordering alone keeps every record in place: the i-th statement record of a connection is the clean one's
     * i-th. Its ts is within {@code windowMicros} of the clean one's (its own packet, delayed at most that much);
     * its duration within the window of the clean one's, or unknown (null) where its request came after its answer.
     */
    void compare(List<TransactionRecord> clean, List<TransactionRecord> reordered, long windowMicros) {
        Map<Long, List<TransactionRecord>> a = byConnection(clean);
        Map<Long, List<TransactionRecord>> b = byConnection(reordered);
        for (Map.Entry<Long, List<TransactionRecord>> e : a.entrySet()) {
            List<TransactionRecord> x = e.getValue();
            List<TransactionRecord> y = b.getOrDefault(e.getKey(), List.of());
            for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
                compared++;
                TransactionRecord c = x.get(i);
                TransactionRecord r = y.get(i);
                boolean tsMoved = Math.abs(r.tsMicros() - c.tsMicros()) > windowMicros;
                Long cd = c.response() == null ? null : c.response().durationUs();
                Long rd = r.response() == null ? null : r.response().durationUs();
                boolean durationMoved = !timingUnknown(r) && ((cd == null) != (rd == null)
                        || (cd != null && Math.abs(cd - rd) > windowMicros));
                if (tsMoved || durationMoved || x.size() != y.size()) {
                    moved++;
                    if (movedExamples.size() < 5) {
                        movedExamples.add("connection " + e.getKey() + " #" + i + ": clean ts=" + c.tsMicros()
                                + " dur=" + cd + " / reordered ts=" + r.tsMicros() + " dur=" + rd);
                    }
                }
            }
        }
    }

    private static Map<Long, List<TransactionRecord>> byConnection(List<TransactionRecord> records) {
        Map<Long, List<TransactionRecord>> m = new HashMap<>();
        for (TransactionRecord r : records) {
            if (r.kind() == RecordKind.STATEMENT) {
                m.computeIfAbsent(r.connectionId(), k -> new ArrayList<>()).add(r);
            }
        }
        return m;
    }

    static String share(int n, int of) {
        return String.format("%d (%.2f %%)", n, of == 0 ? 0.0 : 100.0 * n / of);
    }

    static String header() {
        return "| scenario | replay | complete records | duration_us 0 | duration unknown (null) | ts shared in"
                + " connection |\n|---|---|---|---|---|---|";
    }

    String row(String scenario, String replay) {
        return String.format("| %s | %s | %d | %s | %s | %s |", scenario, replay, complete,
                share(zeroDuration, complete), share(unknownDuration, complete), share(sharedTs, complete));
    }
}
