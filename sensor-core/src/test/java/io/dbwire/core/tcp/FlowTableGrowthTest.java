package io.dbwire.core.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The slot array starts small and doubles with the flows, up to twice the bound, every flow still found. */
class FlowTableGrowthTest {

    @Test
    void theTableGrowsWithItsFlowsUpToTwiceTheBoundAndFindsEveryOne() {
        FlowTable table = new FlowTable(100_000);
        assertThat(table.capacity()).isEqualTo(FlowTable.INITIAL_CAPACITY);
        Flow[] flows = new Flow[100_000];
        for (int i = 0; i < flows.length; i++) {
            flows[i] = flow(i);
            table.insert(flows[i]);
            assertThat(table.capacity()).isGreaterThanOrEqualTo(2 * table.size());
        }
        assertThat(table.capacity()).isEqualTo(1 << 18); // the bound's power of two >= 200 000, no further
        for (int i = 0; i < flows.length; i += 2) {
            table.remove(flows[i]);
        }
        for (int i = 0; i < flows.length; i++) {
            Flow f = flows[i];
            Flow found = table.find(f.hash, f.aHi, f.aLo, f.aPort, f.bHi, f.bLo, f.bPort);
            assertThat(found).isSameAs(i % 2 == 0 ? null : f);
        }
        assertThat(table.oldest()).isSameAs(flows[1]); // the LRU order survived the doubling
    }

    private static Flow flow(int i) {
        long a = 0x0A00_0000L + i;
        int hash = FlowTable.hash(0, a, 40_000, 0, 0x0A00_FFFFL, 5432);
        return new Flow(0, a, 40_000, 0, 0x0A00_FFFFL, 5432, -1, hash, true, i + 1);
    }
}
