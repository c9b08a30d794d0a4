package io.dbwire.core.detect.policy;

import java.util.ArrayList;
import java.util.List;

/** A group of CIDR blocks; an address matches when any block holds it. */
final class NetworkSet {
    private final List<IpBlock> blocks;

    private NetworkSet(List<IpBlock> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    static NetworkSet parse(String where, List<String> cidrs) {
        List<IpBlock> out = new ArrayList<>();
        for (int i = 0; i < cidrs.size(); i++) {
            try {
                out.add(IpBlock.parse(cidrs.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + "[" + i + "]: " + e.getMessage());
            }
        }
        return new NetworkSet(out);
    }

    boolean contains(String ip) {
        for (IpBlock b : blocks) {
            if (b.contains(ip)) {
                return true;
            }
        }
        return false;
    }
}
