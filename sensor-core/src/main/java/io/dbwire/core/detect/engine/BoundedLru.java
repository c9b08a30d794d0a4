package io.dbwire.core.detect.engine;

import io.dbwire.core.memory.MemoryBudget;
import io.dbwire.core.memory.MemoryConsumer;
import io.dbwire.core.memory.ShedReason;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A map bounded to {@code capacity} entries that drops the least recently seen one (read or written) when full.
 * Every drop is counted and reported to the eviction listener, so a bound that is hit is visible in metrics.
 * With a {@link MemoryBudget}, each entry is charged {@code entryBytes} as a detection entity, and when the budget
 * is short the least recently seen entries go first (counted {@code memory.entity_evicted} too).
 */
public final class BoundedLru<K, V> {
    private final int capacity;
    private final BiConsumer<K, V> onEvict;
    private final Map<K, V> map;
    private final MemoryBudget memory;
    private final int entryBytes;
    private long evictions;

    public BoundedLru(int capacity, BiConsumer<K, V> onEvict) {
        this(capacity, onEvict, MemoryBudget.unlimited(), 0);
    }

    /** Entries also drawn from {@code memory} at {@code entryBytes} each (their estimated heap). */
    public BoundedLru(int capacity, BiConsumer<K, V> onEvict, MemoryBudget memory, int entryBytes) {
        this.memory = memory;
        this.entryBytes = entryBytes;
        this.capacity = Math.max(1, capacity);
        this.onEvict = onEvict;
        // access order: get() and put() move an entry to the young end
        this.map = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                if (size() <= BoundedLru.this.capacity) {
                    return false;
                }
                evictions++;
                BoundedLru.this.memory.release(MemoryConsumer.DETECTION_ENTITIES, BoundedLru.this.entryBytes);
                BoundedLru.this.onEvict.accept(eldest.getKey(), eldest.getValue());
                return true;
            }
        };
    }

    /** Looks the key up and marks it as recently seen. */
    public V get(K key) {
        return map.get(key);
    }

    public V computeIfAbsent(K key, Function<K, V> create) {
        V v = map.get(key);
        if (v != null) {
            return v;
        }
        makeRoom();
        v = create.apply(key);
        if (v != null) {
            memory.charge(MemoryConsumer.DETECTION_ENTITIES, entryBytes);
            map.put(key, v);
        }
        return v;
    }

    public void put(K key, V value) {
        if (!map.containsKey(key)) {
            makeRoom();
            memory.charge(MemoryConsumer.DETECTION_ENTITIES, entryBytes);
        }
        map.put(key, value);
    }

    public V remove(K key) {
        V old = map.remove(key);
        if (old != null) {
            memory.release(MemoryConsumer.DETECTION_ENTITIES, entryBytes);
        }
        return old;
    }

    /** The least recently seen entries go while the memory budget has no room for one more. */
    private void makeRoom() {
        if (entryBytes == 0 || memory.room(MemoryConsumer.DETECTION_ENTITIES) >= entryBytes) {
            return;
        }
        Iterator<Map.Entry<K, V>> it = map.entrySet().iterator();
        while (memory.room(MemoryConsumer.DETECTION_ENTITIES) < entryBytes && it.hasNext()) {
            Map.Entry<K, V> eldest = it.next();
            it.remove();
            evictions++;
            memory.release(MemoryConsumer.DETECTION_ENTITIES, entryBytes);
            memory.shed(ShedReason.ENTITY_EVICTED);
            onEvict.accept(eldest.getKey(), eldest.getValue());
        }
    }

    boolean containsKey(K key) {
        return map.containsKey(key); // does not count as "seen"
    }

    public int size() {
        return map.size();
    }

    int capacity() {
        return capacity;
    }

    public long evictions() {
        return evictions;
    }

    /** Oldest-seen first; removal through the iterator is allowed (not charged back: prefer {@link #remove}). */
    public Collection<V> values() {
        return map.values();
    }

    /** Oldest-seen first; removal through the iterator is allowed. */
    public Iterable<Map.Entry<K, V>> entries() {
        return map.entrySet();
    }
}
