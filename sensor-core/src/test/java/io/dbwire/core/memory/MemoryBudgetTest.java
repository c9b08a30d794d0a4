package io.dbwire.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MemoryBudgetTest {
    @Test
    void aReservationThatWouldPassTheLimitIsRefusedAndChargesNothing() {
        MemoryBudget b = new MemoryBudget(1_000);
        assertThat(b.tryReserve(MemoryConsumer.FLOWS, 600)).isTrue();
        assertThat(b.tryReserve(MemoryConsumer.FRAGMENTS, 401)).isFalse();
        assertThat(b.tryReserve(MemoryConsumer.FRAGMENTS, 400)).isTrue();
        assertThat(b.total()).isEqualTo(1_000);
        assertThat(b.inUse(MemoryConsumer.FRAGMENTS)).isEqualTo(400);
        assertThat(b.available()).isZero();
    }

    @Test
    void highWaterMarksStayWhenBytesAreReleased() {
        MemoryBudget b = new MemoryBudget(10_000);
        b.charge(MemoryConsumer.MESSAGE_BUFFERS, 3_000);
        b.charge(MemoryConsumer.FLOWS, 1_000);
        b.release(MemoryConsumer.MESSAGE_BUFFERS, 3_000);
        assertThat(b.inUse(MemoryConsumer.MESSAGE_BUFFERS)).isZero();
        assertThat(b.highWater(MemoryConsumer.MESSAGE_BUFFERS)).isEqualTo(3_000);
        assertThat(b.totalHighWater()).isEqualTo(4_000);
        MemoryReport r = b.report();
        assertThat(r.limitBytes()).isEqualTo(10_000);
        assertThat(r.usedBytes()).isEqualTo(1_000);
        assertThat(r.highWater().get(MemoryConsumer.MESSAGE_BUFFERS)).isEqualTo(3_000);
    }

    @Test
    void theMarksSayWhenToShedAndWhenToStop() {
        MemoryBudget b = new MemoryBudget(1_000);
        b.charge(MemoryConsumer.FLOWS, 900);
        assertThat(b.overHighMark()).isFalse();
        b.charge(MemoryConsumer.FLOWS, 1);
        assertThat(b.overHighMark()).isTrue();
        assertThat(b.underLowMark()).isFalse();
        b.release(MemoryConsumer.FLOWS, 102);
        assertThat(b.underLowMark()).isTrue();
    }

    @Test
    void anAccountGivesBackEverythingItStillHoldsWhenItCloses() {
        MemoryBudget b = new MemoryBudget(10_000);
        MemoryAccount a = new MemoryAccount(b);
        a.grow(MemoryConsumer.FLOWS, 4_000);
        assertThat(a.tryGrow(MemoryConsumer.TLS_SESSIONS, 5_000, ShedReason.TLS_RECORD_DROPPED)).isTrue();
        assertThat(a.tryGrow(MemoryConsumer.MESSAGE_BUFFERS, 2_000, ShedReason.MESSAGE_TRUNCATED)).isFalse();
        assertThat(b.shedCounts().get(ShedReason.MESSAGE_TRUNCATED)).isEqualTo(1);
        a.shrink(MemoryConsumer.TLS_SESSIONS, 9_999); // never more than it holds
        assertThat(b.inUse(MemoryConsumer.TLS_SESSIONS)).isZero();
        a.close();
        assertThat(b.total()).isZero();
        a.grow(MemoryConsumer.FLOWS, 100); // after close: ignored
        assertThat(b.total()).isZero();
    }

    @Test
    void theNoneAccountChargesNothingAndRefusesNothing() {
        assertThat(MemoryAccount.NONE.tryGrow(MemoryConsumer.FLOWS, Long.MAX_VALUE, ShedReason.FLOW_EVICTED))
                .isTrue();
        MemoryAccount.NONE.shrink(MemoryConsumer.FLOWS, 1);
        MemoryAccount.NONE.close();
    }

    @Test
    void reportsOfShardsAddUp() {
        MemoryBudget a = new MemoryBudget(100);
        MemoryBudget b = new MemoryBudget(200);
        a.charge(MemoryConsumer.FLOWS, 10);
        b.charge(MemoryConsumer.FLOWS, 20);
        MemoryReport sum = MemoryReport.sum(a.report(), b.report());
        assertThat(sum.limitBytes()).isEqualTo(300);
        assertThat(sum.inUse().get(MemoryConsumer.FLOWS)).isEqualTo(30);
    }

    @Test
    void aBudgetMustBePositive() {
        assertThatThrownBy(() -> new MemoryBudget(0)).hasMessage("limitBytes: 0 (expected: > 0)");
        assertThat(MemoryBudget.of(0).limit()).isEqualTo(Long.MAX_VALUE);
    }
}
