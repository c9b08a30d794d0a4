package io.dbwire.core.detect.baseline;

import io.dbwire.core.record.DatabaseProtocol;
import static io.dbwire.core.detect.TestRecords.PG;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.detect.TestRecords;
import io.dbwire.core.record.ErrorInfo;
import io.dbwire.core.record.ResponseInfo;
import io.dbwire.core.record.StatementInfo;
import io.dbwire.core.record.TransactionRecord;
import org.junit.jupiter.api.Test;

/** What leaves the database, and which errors are probing. */
class MetricTest {

    static TransactionRecord withResponse(String sql, Long rows, Long affected) {
        TransactionRecord r = TestRecords.statement(0, "10.1.0.1", PG, "app", sql);
        return r.toBuilder().statement(new StatementInfo(sql, "f", "X"))
                .response(new ResponseInfo(rows, affected, 100, 1L, 1L)).build();
    }

    @Test
    void serverSideExportsCountTheirRowsAsLeavingCopyFromStdinDoesNot() {
        assertThat(Metric.rowsOut(withResponse("COPY t TO STDOUT", 500L, 500L))).isEqualTo(500);
        assertThat(Metric.rowsOut(withResponse("COPY t TO ?", null, 70_000L))).isEqualTo(70_000);
        assertThat(Metric.rowsOut(withResponse("SELECT * FROM t INTO OUTFILE ?", null, 90_000L))).isEqualTo(90_000);
        assertThat(Metric.rowsOut(withResponse("COPY t FROM STDIN", null, 80_000L))).isZero();
        assertThat(Metric.rowsOut(withResponse("UPDATE t SET a = ?", null, 80_000L))).isZero();
    }

    @Test
    void probingErrorsAreSyntaxUndefinedPrivilegeAndDataExceptions() {
        for (String code : new String[] {"42601", "42703", "42P01", "42501", "22P02", "1064", "1146"}) {
            assertThat(Metric.isProbeError(new ErrorInfo(code, "x"))).as(code).isTrue();
        }
        for (String code : new String[] {"23505", "40001", "57014", "1062"}) {
            assertThat(Metric.isProbeError(new ErrorInfo(code, "x"))).as(code).isFalse();
        }
        assertThat(Metric.isProbeError(null)).isFalse();
    }

    static TransactionRecord tlsSession(boolean decrypted) {
        io.dbwire.core.record.TlsInfo tls = new io.dbwire.core.record.TlsInfo("TLSv1.3", "TLS_AES_128_GCM_SHA256",
                null, java.util.List.of(), null, null, null, null, null, 900,
                new io.dbwire.core.record.TlsInfo.Flow(4_000, 12), new io.dbwire.core.record.TlsInfo.Flow(250_000, 40),
                new io.dbwire.core.record.TlsInfo.Turns(7, 3_000, 240_000, 900, 200_000, 5_000, 1_200, 0), decrypted,
                java.util.Map.of(), java.util.Map.of());
        return TransactionRecord.builder(io.dbwire.core.record.RecordKind.TLS, DatabaseProtocol.POSTGRESQL)
                .ts(TestRecords.at(0)).connection(9, -1).client(new io.dbwire.core.record.Endpoint("10.1.0.1", 40_000))
                .server(PG).session(new io.dbwire.core.record.SessionInfo(null, null, null, true, false))
                .request(new io.dbwire.core.record.RequestInfo(4_000))
                .response(new ResponseInfo(null, null, 250_000, null, 5_000_000L)).tls(tls).build();
    }

    @Test
    void anEncryptedSessionCountsItsTurnsAsStatementsAndItsBytesWhenNotDecrypted() {
        long[] m = new long[Metric.ALL.length];
        Metric.accumulate(tlsSession(false), m);
        assertThat(m[Metric.STATEMENTS.ordinal()]).isEqualTo(7);
        assertThat(m[Metric.BYTES_OUT.ordinal()]).isEqualTo(250_000);
        assertThat(m[Metric.BYTES.ordinal()]).isEqualTo(254_000);

        long[] decrypted = new long[Metric.ALL.length];
        Metric.accumulate(tlsSession(true), decrypted);
        assertThat(decrypted).containsOnly(0L); // its statements are records of their own
    }
}
