package io.dbwire.daemon.source;

import io.dbwire.core.decap.LinkType;

/**
 * libpcap's {@code pcap_datalink()} answers with a DLT_ value, which is the file's LINKTYPE_ value except for a few
 * historical ones (libpcap pcap-common.c, {@code linktype_to_dlt}); {@link LinkType#fromPcap} reads both, so every
 * reader of captures shares one mapping.
 */
final class Dlt {
    private Dlt() {}

    static LinkType toLinkType(int dlt) {
        return LinkType.fromPcap(dlt);
    }
}
