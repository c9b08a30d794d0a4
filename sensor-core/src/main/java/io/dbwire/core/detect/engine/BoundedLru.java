package io.dbwire.core.detect.engine;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A map bounded to {@code capacity} entries that drops the least recently seen one (read or written) when full.
 * Every drop is counted and reported to the eviction listener, so a bound that is hit is visible in metrics.
 */
public final class BoundedLru<K, V> {
    private final int capacity;
    private final BiConsumer<K, V> onEvict;
    private final Map<K, V> map;
    private long evictions;

    public BoundedLru(int capacity, BiConsumer<K, V> onEvict) {
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
        return map.computeIfAbsent(key, create);
    }

    public void put(K key, V value) {
        map.put(key, value);
    }

    public V remove(K key) {
        return map.remove(key);
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

    /** Oldest-seen first; removal through the iterator is allowed. */
    public Collection<V> values() {
        return map.values();
    }

    /** Oldest-seen first; removal through the iterator is allowed. */
    public Iterable<Map.Entry<K, V>> entries() {
        return map.entrySet();
    }
}
