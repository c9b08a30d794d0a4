package io.dbwire.core.config;

import java.util.Set;

/**
 * @param vxlanPorts      outer UDP destination ports recognised as VXLAN (AWS Traffic Mirroring uses 4789)
 * @param genevePorts     outer UDP destination ports recognised as GENEVE (AWS Gateway Load Balancer uses 6081)
 * @param maxTunnelDepth  nested tunnels followed at most; deeper packets are dropped and counted
 */
public record DecapConfig(Set<Integer> vxlanPorts, Set<Integer> genevePorts, int maxTunnelDepth) {
    public DecapConfig {
        vxlanPorts = Set.copyOf(vxlanPorts);
        genevePorts = Set.copyOf(genevePorts);
    }

    public static DecapConfig defaults() {
        return new DecapConfig(Set.of(4789), Set.of(6081), 2);
    }
}
