package io.dbwire.core.detect.detector;

import static io.dbwire.core.detect.TestRecords.PG;
import static io.dbwire.core.detect.TestRecords.at;
import static io.dbwire.core.detect.TestRecords.failedLogin;
import static io.dbwire.core.detect.TestRecords.statement;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.detect.DetectionEngine;
import io.dbwire.core.detect.TestRecords;
import io.dbwire.core.detect.alert.AlertSuppressor;
import io.dbwire.core.detect.alert.EntityKey;
import io.dbwire.core.detect.baseline.EntityBaseline;
import io.dbwire.core.detect.baseline.Metric;
import io.dbwire.core.detect.engine.DetectEvent;
import io.dbwire.core.detect.engine.WindowClock;
import io.dbwire.core.util.ReasonCounters;
import org.junit.jupiter.api.Test;

class BaselineTableTest {
    private final ReasonCounters<DetectEvent> counters = new ReasonCounters<>(DetectEvent.class);
    private final DetectContext ctx = new DetectContext(TestRecords.cfg().build(), counters,
            new WindowClock(DetectionEngine.BUCKET_MICROS, 10),
            new AlertSuppressor(0, 10, a -> {}, counters));

    @Test
    void bucketsOfCountsBecomeARobustBaseline() {
        BaselineTable<EntityKey.Client> t = new BaselineTable<>(10, 20, 5, 6.0, ctx);
        EntityKey.Client c = new EntityKey.Client("192.0.2.1");
        for (int bucket = 0; bucket < 10; bucket++) {
            for (int i = 0; i < 4; i++) {
                t.observe(c, statement(bucket * 60 + i, "192.0.2.1", PG, "app", "SELECT 1"), at(bucket * 60 + i));
            }
            t.observe(c, failedLogin(bucket * 60 + 5, "192.0.2.1", PG, "x", "28P01"), at(bucket * 60 + 5));
            t.closeBucket();
        }
        EntityBaseline b = t.get(c);
        assertThat(b.history(Metric.STATEMENTS).median()).isEqualTo(4);
        assertThat(b.history(Metric.FAILED_LOGINS).median()).isEqualTo(1);
        assertThat(b.history(Metric.ROWS).median()).isEqualTo(4); // one row per statement in TestRecords
        assertThat(b.history(Metric.BYTES).median()).isEqualTo(4 * (100 + 13));
        assertThat(b.current(Metric.STATEMENTS)).isZero();
        for (int i = 0; i < 40; i++) {
            t.observe(c, statement(700 + i, "192.0.2.1", PG, "app", "SELECT 1"), at(700 + i));
        }
        assertThat(b.history(Metric.STATEMENTS).zScore(b.current(Metric.STATEMENTS))).isGreaterThan(6);
    }

    @Test
    void quietEntitiesGetZeroBuckets() {
        BaselineTable<EntityKey.Client> t = new BaselineTable<>(10, ctx);
        EntityKey.Client c = new EntityKey.Client("192.0.2.1");
        t.observe(c, statement(0, "192.0.2.1", PG, "app", "SELECT 1"), at(0));
        t.closeBucket();
        t.closeBucket();
        t.closeBucket();
        assertThat(t.get(c).history(Metric.STATEMENTS).median()).isZero();
    }

    @Test
    void leastRecentlySeenEntityIsEvictedAndCounted() {
        BaselineTable<EntityKey.Client> t = new BaselineTable<>(2, ctx);
        EntityKey.Client a = new EntityKey.Client("192.0.2.1");
        EntityKey.Client b = new EntityKey.Client("192.0.2.2");
        EntityKey.Client c = new EntityKey.Client("192.0.2.3");
        t.observe(a, statement(0, "192.0.2.1", PG, "app", "SELECT 1"), at(0));
        t.observe(b, statement(1, "192.0.2.2", PG, "app", "SELECT 1"), at(1));
        t.observe(a, statement(2, "192.0.2.1", PG, "app", "SELECT 1"), at(2));
        t.observe(c, statement(3, "192.0.2.3", PG, "app", "SELECT 1"), at(3));
        assertThat(t.size()).isEqualTo(2);
        assertThat(t.get(b)).isNull();
        assertThat(t.get(a)).isNotNull();
        assertThat(counters.get(DetectEvent.ENTITIES_EVICTED)).isEqualTo(1);
        assertThat(t.evictions()).isEqualTo(1);
    }

    @Test
    void entityIdsAreStableText() {
        assertThat(new EntityKey.ClientServerUser("192.0.2.1", PG, "app").id())
                .isEqualTo("client=192.0.2.1 server=10.0.0.1:5432 user=app");
        assertThat(new EntityKey.Fingerprint(PG, "00ff").id()).isEqualTo("server=10.0.0.1:5432 fingerprint=00ff");
    }
}
