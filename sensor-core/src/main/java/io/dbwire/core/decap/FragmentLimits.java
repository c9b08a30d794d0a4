package io.dbwire.core.decap;

/**
 * Bounds of IP fragment reassembly. Every bound, when hit, drops the oldest incomplete datagram and counts it;
 * the TCP layer then sees the segment it carried as missing (a gap once the peer acknowledges past it).
 *
 * @param maxDatagrams  datagrams being reassembled at once (completed ones linger until their timeout)
 * @param maxBytes      reassembly buffer bytes across all datagrams; at least 64 KiB is used
 * @param timeoutMicros packet time from a datagram's first fragment after which it is given up (Linux
 *                      {@code ipfrag_time} is 30 s)
 */
public record FragmentLimits(int maxDatagrams, long maxBytes, long timeoutMicros) {
    public static FragmentLimits defaults() {
        return new FragmentLimits(4096, 16L << 20, 30_000_000L);
    }
}
