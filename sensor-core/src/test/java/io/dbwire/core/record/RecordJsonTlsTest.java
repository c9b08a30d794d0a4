package io.dbwire.core.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The TLS additions to the record JSON: session.decrypted after mid_stream, and the tls block last. */
class RecordJsonTlsTest {
    private static final long T0 = 1_764_165_600_000_000L; // 2025-11-26T14:00:00Z
    private static final Endpoint CLIENT = new Endpoint("10.0.0.5", 51234);
    private static final Endpoint SERVER = new Endpoint("10.0.0.9", 5432);

    @Test
    void everyOtherKindHasDecryptedFalseAndTlsNullAtTheEnd() {
        TransactionRecord r = TransactionRecord.builder(RecordKind.STATEMENT, DatabaseProtocol.POSTGRESQL).ts(T0)
                .connection(7, -1).client(CLIENT).server(SERVER)
                .session(new SessionInfo("alice", "shop", null, false, false))
                .statement(new StatementInfo("SELECT ?", "0123456789abcdef", "SELECT")).request(new RequestInfo(20))
                .response(new ResponseInfo(1L, null, 40, 5L, 9L)).build();
        assertThat(r.tls()).isNull();
        assertThat(RecordJson.toJson(r))
                .contains("\"tls\":false,\"mid_stream\":false,\"decrypted\":false,\"auth_method\":null,"
                        + "\"protocol_version\":null,\"client_tool\":null,\"attributes\":null}")
                .endsWith("\"status\":\"ok\",\"error\":null,\"tls\":null}");
    }

    @Test
    void decryptedStatementIsMarked() {
        TransactionRecord r = TransactionRecord.builder(RecordKind.STATEMENT, DatabaseProtocol.MYSQL).ts(T0)
                .connection(7, -1).client(CLIENT).server(SERVER)
                .session(new SessionInfo("alice", "shop", null, true, false, true)).request(new RequestInfo(20))
                .build();
        assertThat(RecordJson.toJson(r))
                .contains("\"tls\":true,\"mid_stream\":false,\"decrypted\":true,\"auth_method\":null,"
                        + "\"protocol_version\":null,\"client_tool\":null,\"attributes\":null}");
    }

    @Test
    void tlsBlockFieldByField() {
        TlsInfo t = new TlsInfo("TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "db.example.test",
                List.of("postgresql"), "postgresql", "771,49199,0-23,29,0", "0123456789abcdef0123456789abcdef",
                "t12d0101pl_aaaaaaaaaaaa_bbbbbbbbbbbb",
                new TlsInfo.Certificate("CN=db.example.test", "CN=ca", T0 + 86_400_000_000L), 1500,
                new TlsInfo.Flow(900, 6), new TlsInfo.Flow(3000, 8),
                new TlsInfo.Turns(2, 300, 1200, 200, 800, 700, 400, 0), false, Map.of("no_keys", 10L), Map.of());
        TransactionRecord r = TransactionRecord.builder(RecordKind.TLS, DatabaseProtocol.POSTGRESQL).ts(T0)
                .connection(7, 42).client(CLIENT).server(SERVER).session(new SessionInfo(null, null, null, true, false))
                .request(new RequestInfo(900)).response(new ResponseInfo(null, null, 3000, null, 52_000L)).tls(t)
                .build();
        assertThat(RecordJson.toJson(r)).endsWith("\"error\":null,\"tls\":{"
                + "\"version\":\"TLSv1.2\",\"cipher\":\"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\","
                + "\"sni\":\"db.example.test\",\"alpn\":[\"postgresql\"],\"alpn_selected\":\"postgresql\","
                + "\"ja3\":\"771,49199,0-23,29,0\",\"ja3_hash\":\"0123456789abcdef0123456789abcdef\","
                + "\"ja4\":\"t12d0101pl_aaaaaaaaaaaa_bbbbbbbbbbbb\","
                + "\"certificate\":{\"subject\":\"CN=db.example.test\",\"issuer\":\"CN=ca\","
                + "\"not_after\":\"2025-11-27T14:00:00.000000Z\"},"
                + "\"handshake_us\":1500,\"client\":{\"bytes\":900,\"records\":6},"
                + "\"server\":{\"bytes\":3000,\"records\":8},"
                + "\"turns\":{\"count\":2,\"request_bytes\":300,\"response_bytes\":1200,\"max_request_bytes\":200,"
                + "\"max_response_bytes\":800,\"sum_latency_us\":700,\"max_latency_us\":400,"
                + "\"unanswered_server_bursts\":0},"
                + "\"decrypted\":false,\"decrypt_outcomes\":{\"no_keys\":10},\"violations\":{}}}");
    }

    @Test
    void unknownTimesAreNullNotMinusOne() {
        TlsInfo t = new TlsInfo(null, null, null, List.of(), null, null, null, null, null, -1,
                new TlsInfo.Flow(0, 0), new TlsInfo.Flow(0, 0), new TlsInfo.Turns(0, 0, 0, 0, 0, 0, -1, 0), false,
                Map.of(), Map.of());
        TransactionRecord r = TransactionRecord.builder(RecordKind.TLS, DatabaseProtocol.POSTGRESQL).ts(T0)
                .connection(7, -1).client(CLIENT).server(SERVER).session(new SessionInfo(null, null, null, true, true))
                .request(new RequestInfo(0)).tls(t).build();
        assertThat(RecordJson.toJson(r)).contains("\"certificate\":null,\"handshake_us\":null,")
                .contains("\"max_latency_us\":null,");
    }
}
