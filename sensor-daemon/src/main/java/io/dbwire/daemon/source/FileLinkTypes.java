package io.dbwire.daemon.source;

import io.dbwire.core.decap.LinkType;

/**
 * A capture file's LINKTYPE_ value as the engine's {@link LinkType}. Files hold LINKTYPE_ values, which equal
 * libpcap's DLT_ values except for raw IP: LINKTYPE_RAW is 101, while older files carry DLT_RAW (12, or 14 from
 * OpenBSD), which libpcap also reads as raw IP; {@link Dlt} knows those.
 */
final class FileLinkTypes {
    private FileLinkTypes() {}

    static LinkType toLinkType(int linkType) {
        return linkType == LinkType.RAW.pcapValue() ? LinkType.RAW : Dlt.toLinkType(linkType);
    }
}
