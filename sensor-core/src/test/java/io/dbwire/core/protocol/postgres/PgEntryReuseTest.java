package io.dbwire.core.protocol.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.protocol.postgres.PgInFlight.Entry;
import io.dbwire.core.protocol.postgres.PgInFlight.Op;
import io.dbwire.core.protocol.session.ReusedFields;
import io.dbwire.core.protocol.session.SessionCounters;
import io.dbwire.core.record.StatementInfo;
import io.dbwire.core.util.ReasonCounters;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A reused in-flight entry or run (PgInFlight keeps answered extended-protocol entries as spares, PgCommandPhase
 * the run of the last completed Execute) must be indistinguishable from a new one: every field of Entry, PgRun and
 * RequestRun — including fields added later — is set to a non-default value, then reuse must bring each back to
 * what the constructor gives.
 */
class PgEntryReuseTest {
    private static final StatementInfo NEXT = new StatementInfo("SELECT $1", "select ?", "SELECT");

    @Test
    void entryReuseResetsEveryField() throws Exception {
        List<Field> fields = ReusedFields.of(Entry.class, Set.of());
        Entry used = new Entry(Op.QUERY, null, null, null, null);
        ReusedFields.dirtyAll(fields, used);
        PgRun run = new PgRun(NEXT);

        used.reuse(Op.EXECUTE, run, NEXT, "S_1");

        ReusedFields.assertAllAsNew(fields, used, new Entry(Op.EXECUTE, run, NEXT, "S_1", null));
    }

    @Test
    void queryEntryReuseResetsEveryFieldAndHoldsOnlyTheNewRun() throws Exception {
        List<Field> fields = ReusedFields.of(Entry.class, Set.of());
        Entry used = new Entry(Op.QUERY, null, null, null, new ArrayList<>());
        ReusedFields.dirtyAll(fields, used);
        PgRun run = new PgRun(NEXT);

        used.reuseAsQuery(run);

        ReusedFields.assertAllAsNew(fields, used, new Entry(Op.QUERY, null, null, null, List.of(run)));
    }

    @Test
    void aOneStatementQueryAnsweredInStepIsTheNextOnesEntryAndRunOnAnyConnectionOfTheEngine() throws Exception {
        PgSpareQueries engine = new PgSpareQueries();
        PgInFlight fifo = new PgInFlight(null,
                new SessionCounters<>(new ReasonCounters<>(PgEvent.class), PgEvent.class), engine);
        PgInFlight otherConnection = new PgInFlight(null,
                new SessionCounters<>(new ReasonCounters<>(PgEvent.class), PgEvent.class), engine);
        PgFrame request = new PgFrame();
        request.firstTs = 10;
        request.lastTs = 11;
        request.wireBytes = 42;

        Entry first = fifo.queryEntry(NEXT, request);
        PgRun firstRun = first.runs.get(0);
        fifo.add(first);
        firstRun.markDone(); // its record was emitted
        first.index++;
        assertThat(fifo.ready()).isTrue();

        StatementInfo other = new StatementInfo("BEGIN", "begin", "BEGIN");
        Entry second = otherConnection.queryEntry(other, request);
        assertThat(second).isSameAs(first);
        assertThat(second.runs).containsExactly(firstRun);
        ReusedFields.assertAllAsNew(ReusedFields.of(PgRun.class, Set.of()), firstRun,
                expectedRun(other, request));
        assertThat(second.index).isZero();

        otherConnection.add(second);
        assertThat(otherConnection.ready()).as("answered without its statement: not given back").isFalse();
        assertThat(fifo.queryEntry(NEXT, request)).isNotSameAs(first);
    }

    private static PgRun expectedRun(StatementInfo info, PgFrame request) {
        PgRun run = new PgRun(info);
        run.requestTimes(request.firstTs, request.lastTs);
        run.addRequestBytes(request.wireBytes);
        return run;
    }

    @Test
    void runResetResetsEveryFieldItsOwnAndRequestRuns() throws Exception {
        List<Field> fields = ReusedFields.of(PgRun.class, Set.of());
        PgRun used = new PgRun(new StatementInfo("a", "a", "A"));
        ReusedFields.dirtyAll(fields, used);

        used.reset(NEXT);

        ReusedFields.assertAllAsNew(fields, used, new PgRun(NEXT));
    }

    @Test
    void aRecycledEntryComesBackEmptiedAndSharedOnesNeverDo() {
        PgInFlight fifo = new PgInFlight(null,
                new SessionCounters<>(new ReasonCounters<>(PgEvent.class), PgEvent.class));
        PgRun run = new PgRun(NEXT);
        Entry bind = fifo.entry(Op.BIND, run, NEXT, null);
        fifo.recycle(bind);
        assertThat(bind.run).as("a spare keeps no finished run alive").isNull();
        assertThat(bind.info).isNull();

        Entry next = fifo.entry(Op.DESCRIBE, run, NEXT, null);
        assertThat(next).isSameAs(bind);
        assertThat(next.op).isEqualTo(Op.DESCRIBE);

        fifo.recycle(Entry.SYNC);
        fifo.recycle(Entry.CLOSE);
        assertThat(fifo.entry(Op.EXECUTE, run, NEXT, null)).isNotSameAs(Entry.SYNC).isNotSameAs(Entry.CLOSE);
        assertThat(Entry.SYNC.op).isEqualTo(Op.SYNC);
    }
}
