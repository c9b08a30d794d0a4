package io.dbwire.daemon.it;

import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.TransactionRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The statement records of an impaired capture compared, connection by connection and in order, with those of
 * the clean capture (which the tests first check against the server's own statement log). Each clean statement
 * ends up in exactly one column:
 * <ul>
 *   <li>exact (issue 11: "operation, rows, error code, in order, per connection"): a record at its place with the
 *       same operation, status, error code, rows and rows affected, and the same text or none at all. A record
 *       without a text is one whose prepared statement's text was never seen (its Parse / COM_STMT_PREPARE was
 *       lost) and says so ({@code statement.text_unknown}); its operation comes from the server's answer (the
 *       PostgreSQL command tag). Those are also counted in {@link #exactTextUnknown}, reported next to exact;
 *   <li>incomplete: an {@code incomplete} record stands in its place;
 *   <li>unknown: a record without a text whose result is right but whose operation the answer could not tell
 *       (MySQL: an OK packet or a result set does not name the statement's verb);
 *   <li>missing: no record for it;
 *   <li>wrong: a record at its place that is not incomplete but says something else (a result that is not its
 *       own). Records with no clean statement to stand for and not incomplete are wrong too.
 * </ul>
 * A record lines up with a clean statement when the text is the same and its {@code ts} (the time of the
 * request's first packet) is within {@code timeToleranceMicros} of the clean one's (a late packet moves it by at
 * most its delay): a record at another time is not at its place. Exact records must also keep their duration
 * within that tolerance; those that do not are counted in {@link #timeOff}.
 */
final class LossTally {
    /** How far ahead the alignment looks for the next statement both lists have in common. */
    private static final int WINDOW = 64;

    int clean;
    int exact;
    /** Exact records whose text is unknown (their prepare was lost): right operation and result, no text. */
    int exactTextUnknown;
    int incomplete;
    int unknown;
    int missing;
    int wrong;
    /** Exact records whose time is not their own. */
    int timeOff;
    /** Incomplete records with no clean statement left to stand for (a statement split by a gap). */
    int extraIncomplete;
    /** Payload packets the impairment removed (set by the caller). */
    int droppedPackets;
    /** Records that carry the gap that cut them short (set by the caller). */
    int withGaps;
    /** Of those, PostgreSQL records whose rows came from the server's tag after the hole (set by the caller). */
    long fromTag;
    /** Incomplete records in a clean statement's place that claim more rows than it had (must be 0). */
    int incompleteRowsOver;
    /** Incomplete records in a clean statement's place with the rows counted up to the hole (some, not all). */
    int incompleteWithRows;
    /** Clean statements not counted exact, with their column, for {@link LossCauses}. */
    final List<Miss> misses = new ArrayList<>();
    final List<String> wrongExamples = new ArrayList<>();
    final List<String> timeExamples = new ArrayList<>();
    /** Both lists around the first wrong record, for working on the sensor. */
    String firstWrongContext;
    private List<TransactionRecord> currentClean;
    private List<TransactionRecord> currentImpaired;
    private int currentI;
    private int currentJ;

    private final long timeToleranceMicros;

    /** A clean statement that is not exact and the column it went to. */
    record Miss(TransactionRecord clean, String column) {}

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
        exactTextUnknown += o.exactTextUnknown;
        incomplete += o.incomplete;
        unknown += o.unknown;
        missing += o.missing;
        wrong += o.wrong;
        timeOff += o.timeOff;
        extraIncomplete += o.extraIncomplete;
        droppedPackets += o.droppedPackets;
        withGaps += o.withGaps;
        fromTag += o.fromTag;
        misses.addAll(o.misses);
        incompleteRowsOver += o.incompleteRowsOver;
        incompleteWithRows += o.incompleteWithRows;
        o.wrongExamples.forEach(x -> example(wrongExamples, x));
        o.timeExamples.forEach(x -> example(timeExamples, x));
    }

    /** Exact share by the definition (operation, rows, error code, in order, per connection). */
    double exactShare() {
        return clean == 0 ? 1.0 : (double) exact / clean;
    }

    /** Exact records that also carry their statement's text. */
    double exactWithTextShare() {
        return clean == 0 ? 1.0 : (double) (exact - exactTextUnknown) / clean;
    }

    /**
     * Lines both lists up on anchors first: records with the clean statement's very text, time and duration (the
     * time of a request's first packet is the same in both captures unless a packet of it was delayed). Between
     * two anchors, the few records left are walked in order and lined up within the time tolerance. Aligning on
     * the tolerance alone would pair a record with a neighbour of the same text a few milliseconds away (pgbench's
     * END of the next transaction, the repeated SELECT of the next multi-statement Query) and count right records
     * wrong.
     */
    void compareConnection(List<TransactionRecord> c, List<TransactionRecord> r) {
        clean += c.size();
        currentClean = c;
        currentImpaired = r;
        int i = 0;
        int j = 0;
        for (int[] anchor : anchors(c, r)) {
            walk(c, i, anchor[0], r, j, anchor[1]);
            currentI = anchor[0];
            currentJ = anchor[1];
            pair(c.get(anchor[0]), r.get(anchor[1]));
            i = anchor[0] + 1;
            j = anchor[1] + 1;
        }
        walk(c, i, c.size(), r, j, r.size());
    }

    /**
     * Pairs (clean index, record index), increasing in both, of records with a clean statement's text, time and
     * duration.
     * Statements of one multi-statement Query share their time and may share their text: a record takes the first
     * such clean statement not yet passed whose outcome it has, else the first one. A key that more records carry
     * than clean statements anchors nothing: a delayed request packet can arrive at the very microsecond of a
     * later request of the same text, and which record is which is then left to the walk.
     */
    private static List<int[]> anchors(List<TransactionRecord> c, List<TransactionRecord> r) {
        Map<String, List<Integer>> byTextAndTime = new HashMap<>();
        for (int k = 0; k < c.size(); k++) {
            if (text(c.get(k)) != null) {
                byTextAndTime.computeIfAbsent(key(c.get(k)), x -> new ArrayList<>()).add(k);
            }
        }
        Map<String, Integer> recordsPerKey = new HashMap<>();
        for (TransactionRecord x : r) {
            if (text(x) != null) {
                recordsPerKey.merge(key(x), 1, Integer::sum);
            }
        }
        List<int[]> anchors = new ArrayList<>();
        int last = -1;
        for (int k = 0; k < r.size(); k++) {
            TransactionRecord x = r.get(k);
            List<Integer> candidates = text(x) == null ? null : byTextAndTime.get(key(x));
            if (candidates == null || recordsPerKey.get(key(x)) > candidates.size()) {
                continue;
            }
            int chosen = -1;
            for (int ci : candidates) {
                if (ci > last && (chosen < 0 || sameOutcome(c.get(ci), x))) {
                    chosen = ci;
                    if (sameOutcome(c.get(ci), x)) {
                        break;
                    }
                }
            }
            if (chosen >= 0) {
                anchors.add(new int[] {chosen, k});
                last = chosen;
            }
        }
        return anchors;
    }

    /** Text, time and duration: a record whose request packet came late has another time and duration. */
    private static String key(TransactionRecord x) {
        return x.tsMicros() + " " + duration(x) + " " + text(x);
    }

    /** Walks c[i, ci) and r[j, rj) in order; where they differ, finds the nearest place where they agree again. */
    private void walk(List<TransactionRecord> c, int i, int ci, List<TransactionRecord> r, int j, int rj) {
        List<TransactionRecord> cs = c.subList(0, ci);
        List<TransactionRecord> rs = r.subList(0, rj);
        while (i < ci || j < rj) {
            currentI = i;
            currentJ = j;
            if (i < ci && j < rj && lineUp(c.get(i), r.get(j))) {
                pair(c.get(i++), r.get(j++));
                continue;
            }
            int[] resync = resync(cs, i, rs, j);
            int ni = resync == null ? ci : resync[0];
            int nj = resync == null ? rj : resync[1];
            block(c.subList(i, ni), r.subList(j, nj));
            i = ni;
            j = nj;
        }
    }

    /**
     * Nearest (i', j') with the fewest skipped entries where a clean statement and a record line up; among
     * equally near ones, the closest in time (statements of one simple Query share a text pattern and a time).
     */
    private int[] resync(List<TransactionRecord> c, int i, List<TransactionRecord> r, int j) {
        for (int d = 1; d <= 2 * WINDOW; d++) {
            int[] best = null;
            long bestDelta = Long.MAX_VALUE;
            for (int a = 0; a <= d; a++) {
                int ci = i + a;
                int rj = j + d - a;
                if (ci < c.size() && rj < r.size() && lineUp(c.get(ci), r.get(rj))) {
                    long delta = Math.abs(c.get(ci).tsMicros() - r.get(rj).tsMicros());
                    if (delta < bestDelta) {
                        best = new int[] {ci, rj};
                        bestDelta = delta;
                    }
                }
            }
            if (best != null) {
                return best;
            }
        }
        return null;
    }

    /**
     * Clean statements and records that did not line up on text. A record without a text takes, in order, the
     * next clean statement at its time (within the tolerance) with its result; incomplete records then stand for
     * the clean statements left, in turn, and records without a text that found no place stand for what remains.
     */
    private void block(List<TransactionRecord> c, List<TransactionRecord> r) {
        boolean[] taken = new boolean[c.size()];
        int standIns = 0;
        int unknownStandIns = 0;
        int from = 0;
        for (TransactionRecord x : r) {
            if (x.status() == RecordStatus.INCOMPLETE) {
                standIns++;
            } else if (text(x) == null) {
                int k = placeOf(c, taken, from, x);
                if (k < 0) {
                    unknownStandIns++;
                } else {
                    taken[k] = true;
                    from = k + 1;
                    pair(c.get(k), x);
                }
            } else {
                wrong++;
                context();
                example(wrongExamples, "unmatched record " + describe(x));
            }
        }
        List<TransactionRecord> left = new ArrayList<>();
        for (int k = 0; k < c.size(); k++) {
            if (!taken[k]) {
                left.add(c.get(k));
            }
        }
        int covered = Math.min(standIns, left.size());
        int named = Math.min(unknownStandIns, left.size() - covered);
        for (int k = 0; k < left.size(); k++) {
            misses.add(new Miss(left.get(k), k < covered ? "incomplete" : k < covered + named ? "unknown" : "missing"));
        }
        incomplete += covered;
        unknown += named;
        missing += left.size() - covered - named;
        extraIncomplete += standIns - covered;
        wrong += unknownStandIns - named; // a result with no statement to stand for
        if (unknownStandIns > named) {
            example(wrongExamples, "unknown-statement records beyond the statements missing here");
        }
    }

    /** The first clean statement from {@code from} on, not taken, at the record's time with its result, or -1. */
    private int placeOf(List<TransactionRecord> c, boolean[] taken, int from, TransactionRecord x) {
        for (int k = from; k < c.size(); k++) {
            if (!taken[k] && Math.abs(c.get(k).tsMicros() - x.tsMicros()) <= timeToleranceMicros
                    && sameResult(c.get(k), x)) {
                return k;
            }
        }
        return -1;
    }

    private void pair(TransactionRecord c, TransactionRecord r) {
        if (r.status() == RecordStatus.INCOMPLETE) {
            incomplete++;
            misses.add(new Miss(c, "incomplete"));
            Long cr = c.response() == null ? null : c.response().rows();
            Long rr = r.response() == null ? null : r.response().rows();
            if (rr != null && cr != null && rr > cr) {
                incompleteRowsOver++;
                example(wrongExamples, "incomplete with more rows than its statement: clean " + describe(c)
                        + " / impaired " + describe(r));
            } else if (rr != null && rr > 0) {
                incompleteWithRows++;
            }
            return;
        }
        boolean textUnknown = text(r) == null; // its prepare was lost: the operation is the answer's
        if (textUnknown && sameResult(c, r) && !sameOperation(c, r)) {
            unknown++; // the answer did not name the operation
            misses.add(new Miss(c, "unknown"));
            return;
        }
        if (textUnknown ? !(sameResult(c, r) && sameOperation(c, r)) : !sameOutcome(c, r)) {
            wrong++;
            context();
            example(wrongExamples, "clean " + describe(c) + " / impaired " + describe(r));
            return;
        }
        exact++;
        if (textUnknown) {
            exactTextUnknown++;
        }
        Long cd = c.response() == null ? null : c.response().durationUs();
        Long rd = r.response() == null ? null : r.response().durationUs();
        boolean durationOff = !LossTiming.timingUnknown(r) && ((cd == null) != (rd == null)
                || (cd != null && Math.abs(cd - rd) > timeToleranceMicros));
        if (Math.abs(c.tsMicros() - r.tsMicros()) > timeToleranceMicros || durationOff) {
            timeOff++;
            example(timeExamples, "clean ts=" + c.tsMicros() + " dur=" + cd + " / impaired ts=" + r.tsMicros()
                    + " dur=" + rd + " " + text(r));
        }
    }

    private void context() {
        if (firstWrongContext != null) {
            return;
        }
        StringBuilder sb = new StringBuilder("clean:\n");
        for (int k = Math.max(0, currentI - 8); k < Math.min(currentClean.size(), currentI + 8); k++) {
            sb.append(k == currentI ? " >" : "  ").append(describe(currentClean.get(k))).append('\n');
        }
        sb.append("impaired:\n");
        for (int k = Math.max(0, currentJ - 8); k < Math.min(currentImpaired.size(), currentJ + 8); k++) {
            sb.append(k == currentJ ? " >" : "  ").append(describe(currentImpaired.get(k))).append('\n');
        }
        firstWrongContext = sb.toString();
    }

    private static void example(List<String> list, String s) {
        if (list.size() < 5) {
            list.add(s);
        }
    }

    private static boolean sameText(TransactionRecord a, TransactionRecord b) {
        return Objects.equals(text(a), text(b));
    }

    /**
     * Same text at nearly the same time. A record with an unknown statement lines up only at the very same time
     * and duration (statements follow each other within the tolerance, and a delayed request packet can land on
     * another request's microsecond); elsewhere it stands in for a clean statement.
     */
    private boolean lineUp(TransactionRecord clean, TransactionRecord r) {
        if (text(r) == null) {
            return clean.tsMicros() == r.tsMicros() && Objects.equals(duration(clean), duration(r));
        }
        return sameText(clean, r) && Math.abs(clean.tsMicros() - r.tsMicros()) <= timeToleranceMicros;
    }

    static boolean sameOutcome(TransactionRecord a, TransactionRecord b) {
        return sameText(a, b) && sameOperation(a, b) && sameResult(a, b);
    }

    static boolean sameOperation(TransactionRecord a, TransactionRecord b) {
        return Objects.equals(a.statement() == null ? null : a.statement().operation(),
                b.statement() == null ? null : b.statement().operation());
    }

    /** Status, error code, rows and rows affected. */
    static boolean sameResult(TransactionRecord a, TransactionRecord b) {
        return a.status() == b.status()
                && Objects.equals(a.error() == null ? null : a.error().code(), b.error() == null ? null : b.error().code())
                && Objects.equals(a.response() == null ? null : a.response().rows(),
                        b.response() == null ? null : b.response().rows())
                && Objects.equals(a.response() == null ? null : a.response().rowsAffected(),
                        b.response() == null ? null : b.response().rowsAffected());
    }

    private static Long duration(TransactionRecord r) {
        return r.response() == null ? null : r.response().durationUs();
    }

    private static String text(TransactionRecord r) {
        return r.statement() == null ? null : r.statement().text();
    }

    private static String describe(TransactionRecord r) {
        String t = text(r);
        t = t == null ? null : t.length() > 40 ? t.substring(0, 40) + "…" : t;
        return "[" + r.status() + " " + t + " rows=" + (r.response() == null ? null : r.response().rows())
                + " affected=" + (r.response() == null ? null : r.response().rowsAffected())
                + " err=" + (r.error() == null ? null : r.error().code()) + " ts=" + r.tsMicros() + " dur="
                + (r.response() == null ? null : r.response().durationUs()) + "]";
    }

    /** One line of the summary table. */
    String row(String scenario, String rate) {
        return String.format("| %-18s | %5s | %6d | %6d | %6d (%5.1f %%) | %6d | %6d (%5.1f %%) | %6d | %6d | %6d |"
                + " %5d | %5d |", scenario, rate, droppedPackets, clean, exact, 100.0 * exactShare(), exactTextUnknown,
                exact - exactTextUnknown, 100.0 * exactWithTextShare(), incomplete, unknown, missing, wrong, timeOff);
    }

    static String header() {
        return "| scenario | loss | packets removed | statements | exact | of which text unknown | exact with text"
                + " | incomplete | unknown | missing | wrong | time off |\n|---|---|---|---|---|---|---|---|---|---|---|---|";
    }
}
