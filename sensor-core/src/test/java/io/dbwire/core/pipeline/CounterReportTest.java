package io.dbwire.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.decap.DecapOutcome;
import io.dbwire.core.detect.engine.DetectEvent;
import io.dbwire.core.protocol.SniffOutcome;
import io.dbwire.core.protocol.mysql.MySqlEvent;
import io.dbwire.core.protocol.postgres.PgEvent;
import io.dbwire.core.tcp.TcpEvent;
import io.dbwire.core.tls.DecryptOutcome;
import io.dbwire.core.tls.KeyLogOutcome;
import io.dbwire.core.tls.TlsSessionEvent;
import io.dbwire.core.tls.TlsViolation;
import io.dbwire.core.util.CountedEvent;
import io.dbwire.core.util.ReasonCounters;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CounterReportTest {
    private static final List<Class<? extends CountedEvent>> COUNTER_ENUMS = List.of(DecapOutcome.class,
            TcpEvent.class, PgEvent.class, MySqlEvent.class, SniffOutcome.class, TlsSessionEvent.class,
            DecryptOutcome.class, TlsViolation.class, KeyLogOutcome.class, DetectEvent.class);

    @Test
    void reportNamesAndSortsByWhatTheEnumSays() {
        ReasonCounters<TcpEvent> tcp = new ReasonCounters<>(TcpEvent.class);
        tcp.add(TcpEvent.SEGMENTS, 10);
        tcp.add(TcpEvent.GAP_BYTES, 3);
        ReasonCounters<DecryptOutcome> decrypt = new ReasonCounters<>(DecryptOutcome.class);
        decrypt.add(DecryptOutcome.NO_KEYS, 2);
        decrypt.add(DecryptOutcome.TAG_FAILURE, 1);

        CounterReport report = new CounterReport().add(tcp).add(decrypt);

        assertThat(report.counters()).containsOnlyKeys("tcp.segments", "tcp.gap_bytes", "tls.decrypt.no_keys",
                "tls.decrypt.tag_failure");
        assertThat(report.problems()).containsOnlyKeys("tcp.gap_bytes", "tls.decrypt.tag_failure");
        assertThat(report.problems()).containsEntry("tcp.gap_bytes", 3L);
    }

    @Test
    void metricNamesAreUniqueAcrossLayers() {
        Set<String> names = new HashSet<>();
        for (Class<? extends CountedEvent> type : COUNTER_ENUMS) {
            for (CountedEvent e : type.getEnumConstants()) {
                assertThat(names.add(e.metricName())).as(e.metricName()).isTrue();
                assertThat(e.metricName()).matches("[a-z]+(\\.[a-z]+)?\\.[a-z0-9_]+");
            }
        }
    }

    @Test
    void internalErrorsAndViolationsAreProblemsAndParsedMessagesAreVolume() {
        assertThat(PgEvent.INTERNAL_ERROR_RESYNCED.isProblem()).isTrue();
        assertThat(MySqlEvent.INTERNAL_ERROR_CLOSED.isProblem()).isTrue();
        assertThat(PgEvent.MESSAGES_PARSED.isProblem()).isFalse();
        assertThat(DecapOutcome.TRUNCATED_PAYLOAD.isProblem()).isTrue();
        assertThat(DecapOutcome.IP_FRAGMENT.isProblem()).isFalse();
        for (TlsViolation v : TlsViolation.values()) {
            assertThat(v.isProblem()).as(v.metricName()).isTrue();
        }
    }
}
