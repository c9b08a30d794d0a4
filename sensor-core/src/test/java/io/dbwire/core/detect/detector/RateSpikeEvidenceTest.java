package io.dbwire.core.detect.detector;

import static io.dbwire.core.detect.TestRecords.PG;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.detect.TestRecords;
import io.dbwire.core.detect.alert.Evidence;
import io.dbwire.core.record.ErrorInfo;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.StatementInfo;
import io.dbwire.core.record.TransactionRecord;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** rate_spike's evidence, remembered per statement text, is what {@link Evidence#of} gives for each record. */
class RateSpikeEvidenceTest {
    private static final String[] TEXTS = {"SELECT * FROM t WHERE name = 'alice'", "UPDATE t SET n = 42 WHERE id = 7",
        "SELECT * FROM t WHERE name = 'alice'", "DELETE FROM t WHERE x = $$raw$$", "SELECT 1"};

    private static TransactionRecord record(double sec, int i) {
        TransactionRecord r = TestRecords.statement(sec, "10.1.0.1", PG, "app", TEXTS[i % TEXTS.length]);
        boolean failed = i % 7 == 3;
        String text = i % 11 == 5 ? null : TEXTS[i % TEXTS.length];
        return r.toBuilder().statement(new StatementInfo(text, "f" + i % TEXTS.length, "SELECT"))
                .status(failed ? RecordStatus.ERROR : RecordStatus.OK)
                .error(failed ? new ErrorInfo("42P01", "no such table") : null).build();
    }

    @Test
    void evidenceOfASpikeIsEvidenceOfItsRecords() {
        TestRecords.Run run = TestRecords.cfg().only("rate_spike").run();
        BaselineDetectorsTest.steady(run, BaselineDetectorsTest.WEB, 0, 100, 20);
        run.engine.advanceTo(TestRecords.at(100 * 60));
        List<TransactionRecord> spike = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            spike.add(record(100 * 60 + i * 0.02, i));
        }
        spike.forEach(run::feed);
        run.engine.advanceTo(TestRecords.at(101 * 60));

        LinkedHashSet<String> expected = new LinkedHashSet<>();
        spike.forEach(r -> expected.add(Evidence.of(r)));
        // The alert keeps the first distinct items up to its configured limit (5 by default), errors and
        // text-less statements among them.
        assertThat(run.alerts).singleElement().satisfies(a -> assertThat(a.evidence()).hasSizeGreaterThanOrEqualTo(5)
                .containsExactlyElementsOf(expected.stream().limit(a.evidence().size()).toList())
                .anyMatch(e -> e.endsWith("-> error 42P01")).anyMatch(e -> e.startsWith("statement SELECT")));
    }
}
