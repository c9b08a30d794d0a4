package io.dbwire.core.protocol.session;

import io.dbwire.core.memory.MemoryAccount;
import io.dbwire.core.memory.MemoryConsumer;
import io.dbwire.core.memory.ShedReason;
import io.dbwire.core.record.StatementInfo;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToLongBiFunction;

/**
 * A per-connection catalog (prepared statements, portals) bounded twice: at {@code maxEntries} (the eldest is
 * dropped and {@code onEvicted} runs) and by the connection's memory account ({@link MemoryConsumer#STATEMENT_CATALOGS}):
 * when the budget refuses an entry, this connection's eldest entries go first, counted
 * {@link ShedReason#STATEMENT_FORGOTTEN}; with none left the new entry is not remembered.
 */
public final class CatalogMap<K, V> {
    /** Heap of an entry beyond its strings' bytes: map entry, key, description and string objects. */
    static final int ENTRY_OVERHEAD_BYTES = 224;

    private final int maxEntries;
    private final ToLongBiFunction<K, V> cost;
    private final Runnable onEvicted;
    /** Created with the first entry: most pooled connections never prepare a statement (56 B saved each). */
    private LinkedHashMap<K, V> map;
    private final boolean accessOrder;
    /** The key put last (insertion order: the youngest entry while it is still in the map). */
    private K lastPut;
    private MemoryAccount memory = MemoryAccount.NONE;
    private boolean anyForgotten;

    /**
     * @param accessOrder true: a lookup makes an entry young (least recently used goes first); false: oldest put
     * @param cost        the bytes an entry pins beyond {@link #ENTRY_OVERHEAD_BYTES}
     * @param onEvicted   run for an entry dropped by the entry bound (the budget counts its own drops)
     */
    public CatalogMap(int maxEntries, boolean accessOrder, ToLongBiFunction<K, V> cost, Runnable onEvicted) {
        this.maxEntries = maxEntries;
        this.cost = cost;
        this.onEvicted = onEvicted;
        this.accessOrder = accessOrder;
    }

    /** The bytes of a statement's text and fingerprint (Latin-1 strings: a byte a character). */
    public static long textBytes(StatementInfo info) {
        if (info == null) {
            return 0;
        }
        return (info.text() == null ? 0 : info.text().length())
                + (info.fingerprint() == null ? 0 : info.fingerprint().length());
    }

    public void chargeTo(MemoryAccount account) {
        this.memory = account;
    }

    public V get(K key) {
        return map == null ? null : map.get(key);
    }

    public boolean containsKey(K key) {
        return map != null && map.containsKey(key);
    }

    /** Whether an entry was ever dropped (by the bound or the budget) or refused: some keys put are not here. */
    public boolean anyForgotten() {
        return anyForgotten;
    }

    /**
     * Puts {@code key} as the youngest entry. Putting the youngest key again (the unnamed portal, Bind after Bind)
     * replaces its value in place: the same order as a removal and a new entry, without a new map entry.
     */
    public void put(K key, V value) {
        if (map == null) {
            map = new LinkedHashMap<>(16, 0.75f, accessOrder);
        }
        boolean inPlace = !accessOrder && key != null && key.equals(lastPut) && map.containsKey(key);
        if (inPlace) {
            memory.shrink(MemoryConsumer.STATEMENT_CATALOGS, bytes(key, map.get(key)));
        } else {
            remove(key);
        }
        long bytes = bytes(key, value);
        while (!memory.tryGrow(MemoryConsumer.STATEMENT_CATALOGS, bytes, ShedReason.STATEMENT_FORGOTTEN)) {
            if (inPlace) {
                map.remove(key); // as without the shortcut: the old entry is out while room is made
                inPlace = false;
            }
            if (map.isEmpty()) {
                anyForgotten = true; // not remembered: counted by the refusal
                return;
            }
            dropEldest();
        }
        map.put(key, value);
        lastPut = key;
        if (map.size() > maxEntries) {
            dropEldest();
            onEvicted.run();
        }
    }

    public V remove(K key) {
        if (map == null) {
            return null;
        }
        V old = map.remove(key);
        if (old != null) {
            memory.shrink(MemoryConsumer.STATEMENT_CATALOGS, bytes(key, old));
        }
        return old;
    }

    public void clear() {
        if (map == null) {
            return;
        }
        for (Map.Entry<K, V> e : map.entrySet()) {
            memory.shrink(MemoryConsumer.STATEMENT_CATALOGS, bytes(e.getKey(), e.getValue()));
        }
        map.clear();
    }

    public int size() {
        return map == null ? 0 : map.size();
    }

    private void dropEldest() {
        Iterator<Map.Entry<K, V>> it = map.entrySet().iterator();
        Map.Entry<K, V> eldest = it.next();
        memory.shrink(MemoryConsumer.STATEMENT_CATALOGS, bytes(eldest.getKey(), eldest.getValue()));
        it.remove();
        anyForgotten = true;
    }

    private long bytes(K key, V value) {
        return ENTRY_OVERHEAD_BYTES + cost.applyAsLong(key, value);
    }
}
