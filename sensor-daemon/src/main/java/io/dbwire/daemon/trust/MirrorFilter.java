package io.dbwire.daemon.trust;

import io.netty.buffer.ByteBuf;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Trusted mirrors only ({@code listen.allowed_sources}, {@code listen.allowed_vnis}): judges a datagram by its
 * sender address and the VNI of its VXLAN or GENEVE header (both carry the 24-bit VNI in bytes 4..6), before
 * any decapsulation. An unset list lets everything through; the daemon warns at start while either is unset.
 */
public final class MirrorFilter {
    /** Why a datagram was rejected; {@link #metricReason} is the {@code reason} label on /metrics. */
    public enum Rejection {
        SOURCE_NOT_ALLOWED("source_not_allowed"),
        VNI_NOT_ALLOWED("vni_not_allowed"),
        /** Shorter than a tunnel header, so it has no VNI to check. */
        NO_TUNNEL_HEADER("no_tunnel_header");

        public final String metricReason;

        Rejection(String metricReason) {
            this.metricReason = metricReason;
        }
    }

    public static final MirrorFilter OPEN = new MirrorFilter(null, null);

    private static final int TUNNEL_HEADER_BYTES = 8;
    private static final int VNI_OFFSET = 4;
    private static final int MAX_VNI = (1 << 24) - 1;

    /** Null: any sender. */
    private final Cidr[] sources;
    /** Null: any VNI. Sorted, for a binary search. */
    private final int[] vnis;

    private MirrorFilter(Cidr[] sources, int[] vnis) {
        this.sources = sources;
        this.vnis = vnis;
    }

    /**
     * @param cidrs e.g. {@code 10.0.0.0/8}, {@code 2001:db8::/32}, or a bare address; null for any sender
     * @param vniList 0..16777215 each; null for any VNI
     * @throws IllegalArgumentException naming the bad entry
     */
    public static MirrorFilter of(List<String> cidrs, List<Integer> vniList) {
        Cidr[] sources = null;
        if (cidrs != null) {
            List<Cidr> parsed = new ArrayList<>();
            for (String c : cidrs) {
                parsed.add(Cidr.parse(c));
            }
            sources = parsed.toArray(new Cidr[0]);
        }
        int[] vnis = null;
        if (vniList != null) {
            vnis = new int[vniList.size()];
            for (int i = 0; i < vnis.length; i++) {
                Integer v = vniList.get(i);
                if (v == null || v < 0 || v > MAX_VNI) {
                    throw new IllegalArgumentException(v + " is no VNI (0.." + MAX_VNI + ")");
                }
                vnis[i] = v;
            }
            java.util.Arrays.sort(vnis);
        }
        return new MirrorFilter(sources, vnis);
    }

    public boolean sourcesOpen() {
        return sources == null;
    }

    public boolean vnisOpen() {
        return vnis == null;
    }

    /** Null when the datagram may go on to the pipeline; otherwise why not. Reads the buffer without moving it. */
    public Rejection check(InetAddress sender, ByteBuf datagram) {
        if (sources != null && !allowedSource(sender)) {
            return Rejection.SOURCE_NOT_ALLOWED;
        }
        if (vnis != null) {
            if (datagram.readableBytes() < TUNNEL_HEADER_BYTES) {
                return Rejection.NO_TUNNEL_HEADER;
            }
            int vni = datagram.getUnsignedMedium(datagram.readerIndex() + VNI_OFFSET);
            if (java.util.Arrays.binarySearch(vnis, vni) < 0) {
                return Rejection.VNI_NOT_ALLOWED;
            }
        }
        return null;
    }

    /** Whether {@code client} is inside the allowed CIDRs (always, when they are open); for TCP listeners too. */
    public boolean allowsSource(InetAddress client) {
        return sources == null || allowedSource(client);
    }

    private boolean allowedSource(InetAddress sender) {
        byte[] address = sender.getAddress();
        for (Cidr c : sources) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** One network: address bytes and prefix length. IPv4 and IPv6 never match each other. */
    static final class Cidr {
        private final byte[] network;
        private final int prefix;

        private Cidr(byte[] network, int prefix) {
            this.network = network;
            this.prefix = prefix;
        }

        static Cidr parse(String text) {
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException("empty CIDR");
            }
            String t = text.trim();
            int slash = t.indexOf('/');
            String host = slash < 0 ? t : t.substring(0, slash);
            if (!host.contains(":") && !host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) { // a literal: never a DNS lookup
                throw new IllegalArgumentException(text + " is no IP address or CIDR");
            }
            byte[] address;
            try {
                address = InetAddress.getByName(host).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(text + " is no IP address or CIDR");
            }
            int bits = address.length * 8;
            int prefix = bits;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(t.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException(text + ": prefix length must be 0.." + bits);
                }
            }
            return new Cidr(address, prefix);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }
    }
}
