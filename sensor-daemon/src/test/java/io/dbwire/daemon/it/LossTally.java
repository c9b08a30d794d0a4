package io.dbwire.daemon.it;

import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.TransactionRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The statement records of an impaired capture compared, connection by connection and in order, with those of
 * the clean capture (which the tests first check against the server's own statement log). Each clean statement
 * ends up in exactly one column:
 * <ul>
 *   <li>exact: a record at its place with the same text, operation, status, error code, rows and rows affected;
 *   <li>incomplete: an {@code incomplete} record stands in its place;
 *   <li>missing: no record for it;
 *   <li>wrong: a record at its place that is not incomplete but says something else (a result that is not its
 *       own). Records with no clean statement to stand for and not incomplete are wrong too.
 * </ul>
 * Exact records must also keep their own packets' time: {@code ts} and {@code duration_us} within
 * {@code timeToleranceMicros} of the clean record's (a late packet moves them by at most its delay); those that
 * do not are counted in {@link #timeOff}.
 */
final class LossTally {
    /** How far ahead the alignment looks for the next statement both lists have in common. */
    private static final int WINDOW = 64;

    int clean;
    int exact;
    int incomplete;
    int missing;
    int wrong;
    /** Exact records whose time is not their own. */
    int timeOff;
    /** Incomplete records with no clean statement left to stand for (a statement split by a gap). */
    int extraIncomplete;
    final List<String> wrongExamples = new ArrayList<>();
    final List<String> timeExamples = new ArrayList<>();

    private final long timeToleranceMicros;

    LossTally(long timeToleranceMicros) {
        this.timeToleranceMicros = timeToleranceMicros;
    }

    /** Statement records per client port, in emission order. */
    static Map<Integer, List<TransactionRecord>> byConnection(List<TransactionRecord> records) {
        Map<Integer, List<TransactionRecord>> out = new LinkedHashMap<>();
        for (TransactionRecord r : records) {
            if (r.kind() == RecordKind.STATEMENT) {
                out.computeIfAbsent(r.client().port(), k -> new ArrayList<>()).add(r);
            }
        }
        return out;
    }

    void add(List<TransactionRecord> cleanRecords, List<TransactionRecord> impairedRecords) {
        Map<Integer, List<TransactionRecord>> c = byConnection(cleanRecords);
        Map<Integer, List<TransactionRecord>> i = byConnection(impairedRecords);
        for (Map.Entry<Integer, List<TransactionRecord>> e : c.entrySet()) {
            compareConnection(e.getValue(), i.getOrDefault(e.getKey(), List.of()));
        }
        for (Map.Entry<Integer, List<TransactionRecord>> e : i.entrySet()) {
            if (!c.containsKey(e.getKey())) {
                compareConnection(List.of(), e.getValue());
            }
        }
    }

    void merge(LossTally o) {
        clean += o.clean;
        exact += o.exact;
        incomplete += o.incomplete;
        missing += o.missing;
        wrong += o.wrong;
        timeOff += o.timeOff;
        extraIncomplete += o.extraIncomplete;
    }

    double exactShare() {
        return clean == 0 ? 1.0 : (double) exact / clean;
    }

    /** Walks both lists; where they differ, finds the nearest place where they agree again. */
    void compareConnection(List<TransactionRecord> c, List<TransactionRecord> r) {
        clean += c.size();
        int i = 0;
        int j = 0;
        while (i < c.size() || j < r.size()) {
            if (i < c.size() && j < r.size() && sameText(c.get(i), r.get(j))) {
                pair(c.get(i++), r.get(j++));
                continue;
            }
            int[] resync = resync(c, i, r, j);
            int ci = resync == null ? c.size() : resync[0];
            int rj = resync == null ? r.size() : resync[1];
            block(c.subList(i, ci), r.subList(j, rj));
            i = ci;
            j = rj;
        }
    }

    /** Nearest (i', j') with the fewest skipped entries where two consecutive statements agree in text. */
    private static int[] resync(List<TransactionRecord> c, int i, List<TransactionRecord> r, int j) {
        for (int d = 1; d <= 2 * WINDOW; d++) {
            for (int a = 0; a <= d; a++) {
                int ci = i + a;
                int rj = j + d - a;
                if (ci < c.size() && rj < r.size() && sameText(c.get(ci), r.get(rj))
                        && (ci + 1 >= c.size() || rj + 1 >= r.size() || sameText(c.get(ci + 1), r.get(rj + 1)))) {
                    return new int[] {ci, rj};
                }
            }
        }
        return null;
    }

    /** Clean statements and records that did not line up: incomplete records stand for clean ones in turn. */
    private void block(List<TransactionRecord> c, List<TransactionRecord> r) {
        int standIns = 0;
        for (TransactionRecord x : r) {
            if (x.status() == RecordStatus.INCOMPLETE) {
                standIns++;
            } else {
                wrong++;
                example(wrongExamples, "unmatched record " + describe(x));
            }
        }
        int covered = Math.min(standIns, c.size());
        incomplete += covered;
        missing += c.size() - covered;
        extraIncomplete += standIns - covered;
    }

    private void pair(TransactionRecord c, TransactionRecord r) {
        if (r.status() == RecordStatus.INCOMPLETE) {
            incomplete++;
            return;
        }
        if (!sameOutcome(c, r)) {
            wrong++;
            example(wrongExamples, "clean " + describe(c) + " / impaired " + describe(r));
            return;
        }
        exact++;
        Long cd = c.response() == null ? null : c.response().durationUs();
        Long rd = r.response() == null ? null : r.response().durationUs();
        boolean durationOff = (cd == null) != (rd == null)
                || (cd != null && Math.abs(cd - rd) > timeToleranceMicros);
        if (Math.abs(c.tsMicros() - r.tsMicros()) > timeToleranceMicros || durationOff) {
            timeOff++;
            example(timeExamples, "clean ts=" + c.tsMicros() + " dur=" + cd + " / impaired ts=" + r.tsMicros()
                    + " dur=" + rd + " " + text(r));
        }
    }

    private static void example(List<String> list, String s) {
        if (list.size() < 5) {
            list.add(s);
        }
    }

    private static boolean sameText(TransactionRecord a, TransactionRecord b) {
        return Objects.equals(text(a), text(b));
    }

    static boolean sameOutcome(TransactionRecord a, TransactionRecord b) {
        return sameText(a, b)
                && Objects.equals(a.statement() == null ? null : a.statement().operation(),
                        b.statement() == null ? null : b.statement().operation())
                && a.status() == b.status()
                && Objects.equals(a.error() == null ? null : a.error().code(), b.error() == null ? null : b.error().code())
                && Objects.equals(a.response() == null ? null : a.response().rows(),
                        b.response() == null ? null : b.response().rows())
                && Objects.equals(a.response() == null ? null : a.response().rowsAffected(),
                        b.response() == null ? null : b.response().rowsAffected());
    }

    private static String text(TransactionRecord r) {
        return r.statement() == null ? null : r.statement().text();
    }

    private static String describe(TransactionRecord r) {
        String t = text(r);
        t = t == null ? null : t.length() > 80 ? t.substring(0, 80) + "…" : t;
        return "[" + r.status() + " " + t + " rows=" + (r.response() == null ? null : r.response().rows())
                + " affected=" + (r.response() == null ? null : r.response().rowsAffected())
                + " err=" + (r.error() == null ? null : r.error().code()) + " ts=" + r.tsMicros() + "]";
    }

    /** One line of the summary table. */
    String row(String scenario, String rate) {
        return String.format("| %-18s | %5s | %6d | %6d (%5.1f %%) | %5d | %5d | %5d | %4d |", scenario, rate, clean,
                exact, 100.0 * exactShare(), incomplete, missing, wrong, timeOff);
    }

    static String header() {
        return "| scenario           |  loss | clean  | exact            | incomplete | missing | wrong | time off |\n"
                + "|---|---|---|---|---|---|---|---|";
    }
}
