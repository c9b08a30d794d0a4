package io.dbwire.core.record;

/** @param bytes wire bytes the client sent for this request */
public record RequestInfo(long bytes) {
    private static final int SHARED = 4096;
    private static final RequestInfo[] SMALL = new RequestInfo[SHARED];

    static {
        for (int i = 0; i < SHARED; i++) {
            SMALL[i] = new RequestInfo(i);
        }
    }

    /** The block for {@code bytes}: one shared instance per size below 4 KiB, so most records allocate none. */
    public static RequestInfo of(long bytes) {
        return bytes >= 0 && bytes < SHARED ? SMALL[(int) bytes] : new RequestInfo(bytes);
    }
}
