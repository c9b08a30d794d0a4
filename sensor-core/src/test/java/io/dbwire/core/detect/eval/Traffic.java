package io.dbwire.core.detect.eval;

import io.dbwire.core.record.Endpoint;
import io.dbwire.core.record.ErrorInfo;
import io.dbwire.core.record.DatabaseProtocol;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.RequestInfo;
import io.dbwire.core.record.ResponseInfo;
import io.dbwire.core.record.SessionInfo;
import io.dbwire.core.record.StatementInfo;
import io.dbwire.core.record.TransactionRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Builds TransactionRecords the way the PostgreSQL parser emits them (docs/records.md): statement text already
 * normalised (every literal {@code ?}), a fingerprint that is a hash of that text, rows/bytes/duration in the
 * response block, logins and TLS sessions as their own records. Seeded; records come out in packet-time order.
 */
final class Traffic {
    /** 2026-01-05T06:00:00Z: a Monday morning, so the diurnal curve is rising. */
    static final long START = 1_767_592_800_000_000L;
    static final long MINUTE = 60_000_000L;
    static final long HOUR = 60 * MINUTE;

    final Random rnd;
    private final List<TransactionRecord> out = new ArrayList<>();
    private long connectionIds = 1;

    Traffic(long seed) {
        this.rnd = new Random(seed);
    }

    /** A statement as the parser records it: normalised text, rows returned or affected, bytes, latency. */
    void statement(long ts, String client, Endpoint server, String user, String app, String sql, Long rows,
            Long affected, long rowBytes, double latencyMicros, String errorCode) {
        long respBytes = 60 + (rows == null ? 0 : rows * rowBytes);
        long dur = Math.max(50, Math.round(latencyMicros));
        RecordStatus status = errorCode == null ? RecordStatus.OK : RecordStatus.ERROR;
        out.add(TransactionRecord.builder(RecordKind.STATEMENT, DatabaseProtocol.POSTGRESQL).ts(ts)
                .connection(connectionIds, -1).client(new Endpoint(client, 40_000 + rnd.nextInt(20_000))).server(server)
                .session(new SessionInfo(user, "shop", app, false, false))
                .statement(new StatementInfo(sql, fingerprint(sql), operation(sql)))
                .request(new RequestInfo(sql.length() + 20))
                .response(new ResponseInfo(errorCode == null ? rows : null, errorCode == null ? affected : null,
                        errorCode == null ? respBytes : 90, dur * 8 / 10, dur))
                .status(status).error(errorCode == null ? null : new ErrorInfo(errorCode, "error")).build());
    }

    void login(long ts, String client, Endpoint server, String user, String app, String errorCode) {
        out.add(TransactionRecord.builder(RecordKind.LOGIN, DatabaseProtocol.POSTGRESQL).ts(ts)
                .connection(++connectionIds, -1).client(new Endpoint(client, 40_000 + rnd.nextInt(20_000)))
                .server(server).session(new SessionInfo(user, "shop", app, false, false)).request(new RequestInfo(80))
                .response(new ResponseInfo(null, null, 300, 900L, 1_200L))
                .status(errorCode == null ? RecordStatus.OK : RecordStatus.ERROR)
                .error(errorCode == null ? null : new ErrorInfo(errorCode, "password authentication failed")).build());
    }

    void tls(long ts, String client, Endpoint server) {
        out.add(TransactionRecord.builder(RecordKind.TLS, DatabaseProtocol.POSTGRESQL).ts(ts)
                .connection(++connectionIds, -1).client(new Endpoint(client, 40_000 + rnd.nextInt(20_000)))
                .server(server).session(new SessionInfo(null, null, null, true, false)).request(new RequestInfo(8))
                .response(new ResponseInfo(null, null, 1, 40L, 40L)).build());
    }

    /** Poisson-distributed count (Knuth for small means, normal approximation above 50). */
    int poisson(double mean) {
        if (mean <= 0) {
            return 0;
        }
        if (mean > 50) {
            return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * rnd.nextGaussian()));
        }
        double l = Math.exp(-mean);
        double p = 1;
        int k = 0;
        do {
            k++;
            p *= rnd.nextDouble();
        } while (p > l);
        return k - 1;
    }

    /** Lognormal around {@code median} with spread 0.4. */
    double lognormal(double median) {
        return median * Math.exp(0.4 * rnd.nextGaussian());
    }

    /** Diurnal load factor: lowest at 03:00 UTC, highest at 15:00 UTC, between 0.4 and 1.6. */
    static double diurnal(long ts) {
        double hour = (ts / (double) HOUR) % 24;
        return 1 + 0.6 * Math.sin(2 * Math.PI * (hour - 9) / 24);
    }

    /** A time inside the minute starting at {@code minuteStart}. */
    long inMinute(long minuteStart) {
        return minuteStart + (long) (rnd.nextDouble() * MINUTE);
    }

    /** The records so far, in packet-time order. */
    List<TransactionRecord> records() {
        out.sort(Comparator.comparingLong(TransactionRecord::tsMicros));
        return out;
    }

    static String operation(String sql) {
        int sp = sql.indexOf(' ');
        return (sp < 0 ? sql : sql.substring(0, sp)).toUpperCase(java.util.Locale.ROOT);
    }

    /** 64-bit FNV-1a of the normalised text, as 16 hex digits. */
    static String fingerprint(String sql) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < sql.length(); i++) {
            h ^= sql.charAt(i);
            h *= 0x100000001b3L;
        }
        return String.format("%016x", h);
    }
}
