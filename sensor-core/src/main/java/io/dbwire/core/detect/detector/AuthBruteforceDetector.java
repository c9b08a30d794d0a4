package io.dbwire.core.detect.detector;

import io.dbwire.core.detect.alert.AlertDraft;
import io.dbwire.core.detect.alert.EntityKey;
import io.dbwire.core.detect.alert.Evidence;
import io.dbwire.core.detect.alert.Severity;
import io.dbwire.core.detect.baseline.AuthFailures;
import io.dbwire.core.detect.engine.BoundedLru;
import io.dbwire.core.detect.engine.DetectEvent;
import io.dbwire.core.record.TransactionRecord;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * {@code auth_bruteforce}: failed logins from one client address to one server reaching {@code threshold} within
 * a sliding window of {@code window} packet time (Zeek's SSH brute-forcing policy, per database server). Needs
 * no learning. Every failure at or past the threshold is a candidate; suppression folds the repeats, so an
 * ongoing attack gives one alert per suppression period with the count in {@code folded}.
 *
 * <p>A successful login from the same client while the window still holds {@code threshold} failures is a
 * possible compromise: CRITICAL, which breaks through the suppression of the HIGH alert. Many distinct users
 * in the window name the sub-technique T1110.004 credential stuffing.
 */
public final class AuthBruteforceDetector implements Detector {
    static final String NAME = "auth_bruteforce";
    /** MITRE ATT&CK T1110 Brute Force. */
    static final String MITRE = "T1110";
    /** T1110.004 Credential Stuffing: many accounts tried from one source. */
    static final String MITRE_STUFFING = "T1110.004";
    /** Distinct users in the window from which it reads as credential stuffing (with at least half the failures). */
    static final int STUFFING_MIN_USERS = 5;
    /** Failures kept per pair at most (or the threshold, when larger); the oldest are dropped and counted. */
    static final int MAX_FAILURES_PER_PAIR = 1024;
    static final double BASE_SCORE = 60;

    /** One failed login: time, user (null when unknown) and error code. */
    record Failure(long tsMicros, String user, String code) {}

    /** Failures of one (client, server) pair inside the window, with a count per user for distinct_users. */
    static final class PairState {
        final ArrayDeque<Failure> failures = new ArrayDeque<>();
        final Map<String, Integer> perUser = new HashMap<>();

        void add(Failure f) {
            failures.addLast(f);
            perUser.merge(userKey(f.user()), 1, Integer::sum);
        }

        void expire(long oldestKeptMicros) {
            while (!failures.isEmpty() && failures.peekFirst().tsMicros() < oldestKeptMicros) {
                dropOldest();
            }
        }

        void dropOldest() {
            Failure f = failures.removeFirst();
            perUser.computeIfPresent(userKey(f.user()), (k, n) -> n == 1 ? null : n - 1);
        }

        private static String userKey(String user) {
            return user == null ? "?" : user;
        }
    }

    private final int threshold;
    private final long windowMicros;
    private final int maxPerPair;
    private final BoundedLru<EntityKey.ClientServer, PairState> pairs;

    public AuthBruteforceDetector(DetectContext ctx) {
        this.threshold = Math.max(1, ctx.config().bruteforceThreshold());
        this.windowMicros = ctx.config().bruteforceWindowMicros();
        this.maxPerPair = Math.max(threshold, MAX_FAILURES_PER_PAIR);
        this.pairs = new BoundedLru<>(ctx.config().maxEntities(),
                (k, v) -> ctx.counters().increment(DetectEvent.ENTITIES_EVICTED));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String mitre() {
        return MITRE;
    }

    @Override
    public void observe(TransactionRecord r, long nowMicros, DetectContext ctx) {
        if (AuthFailures.isFailedLogin(r)) {
            ctx.counters().increment(DetectEvent.FAILED_LOGINS_SEEN);
            EntityKey.ClientServer key = ctx.keys().clientServer(r.client().ip(), r.server());
            PairState s = pairs.computeIfAbsent(key, k -> new PairState());
            s.expire(nowMicros - windowMicros);
            if (s.failures.size() >= maxPerPair) {
                s.dropOldest();
                ctx.counters().increment(DetectEvent.BRUTEFORCE_FAILURES_DROPPED);
            }
            s.add(new Failure(nowMicros, r.session().user(), r.error() == null ? null : r.error().code()));
            if (s.failures.size() >= threshold) {
                ctx.raise(draft(ctx, key, s, r, nowMicros, false), nowMicros);
            }
        } else if (AuthFailures.isSuccessfulLogin(r)) {
            EntityKey.ClientServer key = ctx.keys().clientServer(r.client().ip(), r.server());
            PairState s = pairs.get(key);
            if (s == null) {
                return;
            }
            s.expire(nowMicros - windowMicros);
            if (s.failures.size() >= threshold) {
                ctx.raise(draft(ctx, key, s, r, nowMicros, true), nowMicros);
            }
        }
    }

    /** Drops pairs whose failures all left the window, so quiet pairs do not hold table slots. */
    @Override
    public void onBucketClose(long startMicros, long endMicros, DetectContext ctx) {
        Iterator<PairState> it = pairs.values().iterator();
        while (it.hasNext()) {
            PairState s = it.next();
            s.expire(endMicros - windowMicros);
            if (s.failures.isEmpty()) {
                it.remove();
            }
        }
    }

    /** Most recent failures examined for evidence lines per draft. */
    private static final int EVIDENCE_SCAN = 64;

    private AlertDraft draft(DetectContext ctx, EntityKey.ClientServer key, PairState s, TransactionRecord r,
            long nowMicros, boolean success) {
        int failed = s.failures.size();
        int distinctUsers = s.perUser.size();
        boolean stuffing = distinctUsers >= STUFFING_MIN_USERS && distinctUsers * 2 >= failed;
        double spanSeconds = (nowMicros - s.failures.peekFirst().tsMicros()) / 1_000_000.0;
        String user = success ? r.session().user() : distinctUsers == 1 ? s.failures.peekLast().user() : null;
        String summary = failed + " failed logins from " + key.clientIp() + " to " + EntityKey.endpoint(key.server())
                + " in " + String.format(java.util.Locale.ROOT, "%.1f", spanSeconds) + " s (" + distinctUsers + (distinctUsers == 1 ? " user)" : " users)")
                + (success ? ", then a successful login as " + Evidence.name(r.session().user()) : "");
        double score = success ? 100
                : BASE_SCORE + Math.min(30.0, 30.0 * (failed - threshold) / threshold) + (stuffing ? 5 : 0);
        AlertDraft d = ctx.draft(NAME, stuffing ? MITRE_STUFFING : MITRE)
                .severity(success ? Severity.CRITICAL : Severity.HIGH)
                .score(Math.round(score))
                .summary(summary)
                .entity(key)
                .client(key.clientIp())
                .server(key.server())
                .user(user)
                .database(r.session().database())
                .window(nowMicros - windowMicros, nowMicros)
                .observed("failed_logins", failed)
                .observed("distinct_users", distinctUsers)
                .observed("window_seconds", Math.round(spanSeconds * 1000) / 1000.0)
                .observed("successful_login", success)
                .baseline("threshold", threshold)
                .baseline("window_seconds", windowMicros / 1_000_000L)
                .rule(success ? "success_after_failures" : stuffing ? "credential_stuffing" : "threshold");
        if (success) {
            d.evidence(r, Evidence.login(r));
        }
        d.connection(r); // the login that crossed the threshold
        // newest first: the most recent attempts say most about what is going on now. Repeated attempts give
        // the same line, so look at a bounded number of them: a draft is built for every failure past the
        // threshold, and a scan of the whole window each time would make a fast attack quadratic.
        Iterator<Failure> it = s.failures.descendingIterator();
        for (int looked = 0; it.hasNext() && !d.evidenceFull() && looked < EVIDENCE_SCAN; looked++) {
            Failure f = it.next();
            d.evidence("login failed " + (f.code() == null ? "?" : Evidence.name(f.code())) + " user=" + Evidence.name(f.user()));
        }
        return d;
    }
}
