package io.dbwire.core.protocol.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.memory.MemoryAccount;
import io.dbwire.core.memory.MemoryBudget;
import io.dbwire.core.memory.MemoryConsumer;
import io.dbwire.core.memory.ShedReason;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CatalogMapTest {
    private static final int ENTRY = CatalogMap.ENTRY_OVERHEAD_BYTES + 100;

    private final AtomicInteger evicted = new AtomicInteger();
    private final CatalogMap<String, String> map = new CatalogMap<>(3, false, (k, v) -> 100, evicted::incrementAndGet);

    @Test
    void theEntryBoundDropsTheEldestAndReportsIt() {
        for (String k : new String[] {"a", "b", "c", "d"}) {
            map.put(k, k);
        }
        assertThat(map.get("a")).isNull();
        assertThat(map.get("d")).isEqualTo("d");
        assertThat(evicted).hasValue(1);
        assertThat(map.anyForgotten()).isTrue();
    }

    @Test
    void whenTheBudgetIsShortTheConnectionsEldestEntriesGoFirstCounted() {
        MemoryBudget budget = new MemoryBudget(2L * ENTRY);
        map.chargeTo(new MemoryAccount(budget));
        map.put("a", "a");
        map.put("b", "b");
        map.put("c", "c"); // no room: "a" goes
        assertThat(map.get("a")).isNull();
        assertThat(map.get("c")).isEqualTo("c");
        assertThat(map.size()).isEqualTo(2);
        assertThat(budget.inUse(MemoryConsumer.STATEMENT_CATALOGS)).isEqualTo(2L * ENTRY);
        assertThat(budget.shedCounts().get(ShedReason.STATEMENT_FORGOTTEN)).isEqualTo(1);
        assertThat(evicted).hasValue(0); // the entry bound was not what dropped it
        assertThat(map.anyForgotten()).isTrue(); // so an unknown key may be one that was put
    }

    @Test
    void anEntryLargerThanTheWholeBudgetIsNotRememberedAndNothingLeaks() {
        MemoryBudget budget = new MemoryBudget(ENTRY / 2);
        map.chargeTo(new MemoryAccount(budget));
        map.put("a", "a");
        assertThat(map.get("a")).isNull();
        assertThat(budget.total()).isZero();
        assertThat(budget.shedCounts().get(ShedReason.STATEMENT_FORGOTTEN)).isEqualTo(1);
    }

    @Test
    void replacingRemovingAndClearingGiveTheBytesBack() {
        MemoryBudget budget = new MemoryBudget(10L * ENTRY);
        map.chargeTo(new MemoryAccount(budget));
        map.put("a", "a");
        map.put("a", "a2");
        map.put("b", "b");
        assertThat(budget.total()).isEqualTo(2L * ENTRY);
        map.remove("a");
        assertThat(budget.total()).isEqualTo(ENTRY);
        map.clear();
        assertThat(budget.total()).isZero();
    }
}
