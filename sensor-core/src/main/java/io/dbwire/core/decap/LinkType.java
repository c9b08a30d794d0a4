package io.dbwire.core.decap;

/** Link-layer header types, numbered as in the pcap LINKTYPE_ registry (https://www.tcpdump.org/linktypes.html). */
public enum LinkType {
    ETHERNET(1),
    RAW(101),
    LINUX_SLL(113),
    LINUX_SLL2(276),
    /** Not a pcap link type: the buffer starts at a VXLAN header (a datagram received on the VXLAN UDP port). */
    VXLAN_PAYLOAD(-2),
    /** Not a pcap link type: the buffer starts at a GENEVE header (a datagram received on the GENEVE UDP port). */
    GENEVE_PAYLOAD(-3),
    UNKNOWN(-1);

    private final int pcapValue;

    LinkType(int pcapValue) {
        this.pcapValue = pcapValue;
    }

    public int pcapValue() {
        return pcapValue;
    }

    public static LinkType fromPcap(int value) {
        for (LinkType t : values()) {
            if (t.pcapValue == value && value >= 0) {
                return t;
            }
        }
        return UNKNOWN;
    }
}
