package io.dbwire.core.memory;

/** A connection's listener that charges its growing state to the connection's {@link MemoryAccount}. */
public interface MemoryCharged {
    /** Called once, right after the listener was created, before any byte. */
    void chargeTo(MemoryAccount account);
}
