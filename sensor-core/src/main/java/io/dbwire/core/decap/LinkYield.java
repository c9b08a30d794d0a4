package io.dbwire.core.decap;

import io.dbwire.core.util.ReasonCounters;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Whether any frame of one input (a capture file) got past the link layer. A file whose every frame stopped there —
 * a link type decap cannot read, or link headers carrying no IPv4/IPv6 — yields nothing, which a user must be told
 * in words rather than find in a counter. Compares the decap counters before and after the input.
 */
public final class LinkYield {
    /** Frame outcomes decided before any IP header was read. */
    private static final Set<DecapOutcome> BELOW_IP = EnumSet.of(DecapOutcome.INVALID_BUFFER,
            DecapOutcome.UNSUPPORTED_LINK_TYPE, DecapOutcome.LINK_TRUNCATED, DecapOutcome.VLAN_TRUNCATED,
            DecapOutcome.VLAN_TOO_DEEP, DecapOutcome.NOT_ETHERNET_II, DecapOutcome.ARP,
            DecapOutcome.UNKNOWN_ETHERTYPE, DecapOutcome.NOT_IP, DecapOutcome.BAD_IP_VERSION);

    private final ReasonCounters<DecapOutcome> counters;
    private final long[] before;

    private LinkYield(ReasonCounters<DecapOutcome> counters) {
        this.counters = counters;
        DecapOutcome[] all = DecapOutcome.values();
        this.before = new long[all.length];
        for (DecapOutcome o : all) {
            before[o.ordinal()] = counters.get(o);
        }
    }

    /** Starts watching {@code counters} (a decapsulator's) for one input. */
    public static LinkYield watch(ReasonCounters<DecapOutcome> counters) {
        return new LinkYield(counters);
    }

    /**
     * Null when at least one frame since {@link #watch} reached IP, or none was read; otherwise why nothing did,
     * e.g. {@code link type 147 is not supported} or {@code no IPv4 or IPv6 packet (link type 1: arp=3)}.
     *
     * @param pcapLinkType the input's link-type number as its file header gives it
     */
    public String nothingReadReason(int pcapLinkType) {
        long frames = 0;
        long belowIp = 0;
        StringJoiner reasons = new StringJoiner(" ");
        for (DecapOutcome o : DecapOutcome.values()) {
            if (!o.frameOutcome()) {
                continue;
            }
            long n = counters.get(o) - before[o.ordinal()];
            frames += n;
            if (BELOW_IP.contains(o) && n > 0) {
                belowIp += n;
                reasons.add(o.key() + "=" + n);
            }
        }
        if (frames == 0 || belowIp < frames) {
            return null;
        }
        LinkType type = LinkType.fromPcap(pcapLinkType);
        if (!type.supported()) {
            return String.format(Locale.ROOT, "link type %d is not supported (%d packets; readable: %s)",
                    pcapLinkType, frames, supportedList());
        }
        return String.format(Locale.ROOT, "no IPv4 or IPv6 packet in %d packets (link type %d %s: %s)", frames,
                pcapLinkType, type.name().toLowerCase(Locale.ROOT), reasons);
    }

    private static String supportedList() {
        StringJoiner list = new StringJoiner(", ");
        for (LinkType t : LinkType.values()) {
            if (t.pcapValue() >= 0) {
                list.add(t.pcapValue() + " " + t.name().toLowerCase(Locale.ROOT));
            }
        }
        return list.toString();
    }
}
