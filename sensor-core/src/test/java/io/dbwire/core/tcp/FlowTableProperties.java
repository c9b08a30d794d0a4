package io.dbwire.core.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The open-addressing table against a model (a LinkedHashMap in access order): a small table fills its probe
 * runs, so removals must shift entries back correctly or later lookups miss.
 */
class FlowTableProperties {
    @Property(tries = 300, seed = "1979")
    void agreesWithAModelUnderRandomInsertsRemovesAndTouches(@ForAll long seed) {
        Random r = new Random(seed);
        int maxFlows = 1 + r.nextInt(12);
        FlowTable table = new FlowTable(maxFlows);
        Map<Integer, Flow> model = new LinkedHashMap<>(16, 0.75f, true); // iteration = least recently used first
        for (int op = 0; op < 2000; op++) {
            int key = r.nextInt(40); // few keys: many re-inserts after removal
            Flow found = table.find(hashOf(key), 0, Wire.v4(10, 0, 0, key), 40_000, 0, Wire.v4(10, 0, 1, 1), 5432);
            assertThat(found).as("seed %d op %d key %d", seed, op, key).isSameAs(model.get(key));
            if (found != null) {
                model.get(key); // access order
                if (r.nextInt(3) == 0) {
                    table.remove(found);
                    model.remove(key);
                } else {
                    table.touch(found);
                }
            } else {
                if (model.size() >= maxFlows) {
                    Flow oldest = table.oldest();
                    Integer oldestKey = model.keySet().iterator().next();
                    assertThat(oldest).as("seed %d op %d", seed, op).isSameAs(model.get(oldestKey));
                    table.remove(oldest);
                    model.remove(oldestKey);
                }
                Flow f = flow(key);
                table.insert(f);
                model.put(key, f);
            }
            assertThat(table.size()).isEqualTo(model.size());
        }
        List<Flow> drained = new ArrayList<>();
        for (Flow f = table.oldest(); f != null; f = table.oldest()) {
            drained.add(f);
            table.remove(f);
        }
        assertThat(drained).containsExactlyElementsOf(model.values());
    }

    private static int hashOf(int key) {
        return FlowTable.hash(0, Wire.v4(10, 0, 0, key), 40_000, 0, Wire.v4(10, 0, 1, 1), 5432);
    }

    private static Flow flow(int key) {
        return new Flow(0, Wire.v4(10, 0, 0, key), 40_000, 0, Wire.v4(10, 0, 1, 1), 5432, -1, hashOf(key), true, key);
    }
}
