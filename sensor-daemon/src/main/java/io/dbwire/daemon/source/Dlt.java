package io.dbwire.daemon.source;

import io.dbwire.core.decap.LinkType;

/**
 * libpcap's {@code pcap_datalink()} answers with a DLT_ value, which is the file's LINKTYPE_ value except for a few
 * historical ones (libpcap pcap-common.c, {@code linktype_to_dlt}). Of those the engine knows only raw IP:
 * LINKTYPE_RAW 101 is DLT_RAW, 12 on most systems and 14 on OpenBSD.
 */
final class Dlt {
    static final int DLT_RAW = 12;
    static final int DLT_RAW_OPENBSD = 14;

    private Dlt() {}

    static LinkType toLinkType(int dlt) {
        if (dlt == DLT_RAW || dlt == DLT_RAW_OPENBSD) {
            return LinkType.RAW;
        }
        return LinkType.fromPcap(dlt);
    }
}
