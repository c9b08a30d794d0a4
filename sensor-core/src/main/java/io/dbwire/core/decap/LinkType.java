package io.dbwire.core.decap;

/** Link-layer header types, numbered as in the pcap LINKTYPE_ registry (https://www.tcpdump.org/linktypes.html). */
public enum LinkType {
    ETHERNET(1),
    RAW(101),
    LINUX_SLL(113),
    LINUX_SLL2(276),
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
            if (t.pcapValue == value) {
                return t;
            }
        }
        return UNKNOWN;
    }
}
