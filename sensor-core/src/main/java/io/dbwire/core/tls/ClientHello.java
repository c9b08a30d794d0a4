package io.dbwire.core.tls;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The fields of a ClientHello (RFC 8446 4.1.2) that fingerprints and key lookup need. Lists keep wire order
 * and GREASE values; the fingerprint code decides what to drop.
 *
 * @param legacyVersion     ClientHello.legacy_version (0x0303 for TLS 1.2 and 1.3 clients)
 * @param random            the 32-byte client random, the key of the NSS key log
 * @param extensions        extension types in wire order
 * @param supportedVersions supported_versions (0x002b) list, empty if absent
 * @param sni               first host_name of server_name (0x0000), or null
 * @param hasSni            whether the server_name extension is present at all
 * @param alpn              application_layer_protocol_negotiation (0x0010) names, empty if absent
 */
public record ClientHello(
        int legacyVersion,
        byte[] random,
        List<Integer> cipherSuites,
        List<Integer> extensions,
        List<Integer> supportedVersions,
        List<Integer> supportedGroups,
        List<Integer> ecPointFormats,
        List<Integer> signatureAlgorithms,
        String sni,
        boolean hasSni,
        List<byte[]> alpn) {

    /** Caps every list so a hostile hello cannot make the sensor allocate much. */
    private static final int MAX_ITEMS = 512;

    /** @return the hello, or null if a length overruns its container (counted by the caller) */
    static ClientHello decode(byte[] body, int offset, int length) {
        Cursor c = new Cursor(body, offset, length);
        int legacyVersion = c.u16();
        byte[] random = c.bytes(32);
        c.skip(c.u8()); // legacy_session_id
        List<Integer> suites = u16List(c.slice(c.u16()));
        c.skip(c.u8()); // legacy_compression_methods
        List<Integer> exts = new ArrayList<>();
        List<Integer> versions = List.of();
        List<Integer> groups = List.of();
        List<Integer> points = List.of();
        List<Integer> sigalgs = List.of();
        String sni = null;
        boolean hasSni = false;
        List<byte[]> alpn = List.of();
        // Extensions are optional in a TLS 1.2 hello (RFC 5246 7.4.1.2).
        Cursor all = c.remaining() > 0 ? c.slice(c.u16()) : new Cursor(body, 0, 0);
        while (all.ok() && all.remaining() > 0 && exts.size() < MAX_ITEMS) {
            int type = all.u16();
            Cursor ext = all.slice(all.u16());
            exts.add(type);
            switch (type) {
                case TlsConstants.EXT_SERVER_NAME:
                    hasSni = true;
                    sni = serverName(ext);
                    break;
                case TlsConstants.EXT_SUPPORTED_GROUPS:
                    groups = u16List(ext.slice(ext.u16()));
                    break;
                case TlsConstants.EXT_EC_POINT_FORMATS:
                    points = u8List(ext.slice(ext.u8()));
                    break;
                case TlsConstants.EXT_SIGNATURE_ALGORITHMS:
                    sigalgs = u16List(ext.slice(ext.u16()));
                    break;
                case TlsConstants.EXT_SUPPORTED_VERSIONS:
                    versions = u16List(ext.slice(ext.u8()));
                    break;
                case TlsConstants.EXT_ALPN:
                    alpn = protocols(ext.slice(ext.u16()));
                    break;
                default:
                    break;
            }
        }
        if (!c.ok() || !all.ok()) {
            return null;
        }
        return new ClientHello(legacyVersion, random, suites, Collections.unmodifiableList(exts), versions, groups,
                points, sigalgs, sni, hasSni, alpn);
    }

    /** The ALPN names as text (ISO-8859-1 so any byte survives). */
    public List<String> alpnNames() {
        List<String> out = new ArrayList<>(alpn.size());
        for (byte[] p : alpn) {
            out.add(new String(p, StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    private static String serverName(Cursor ext) {
        Cursor list = ext.slice(ext.u16());
        while (list.ok() && list.remaining() > 0) {
            int nameType = list.u8();
            int len = list.u16();
            byte[] name = list.bytes(len);
            if (nameType == 0 && list.ok()) { // host_name
                return new String(name, StandardCharsets.US_ASCII);
            }
        }
        return null;
    }

    private static List<byte[]> protocols(Cursor c) {
        List<byte[]> out = new ArrayList<>();
        while (c.ok() && c.remaining() > 0 && out.size() < MAX_ITEMS) {
            out.add(c.bytes(c.u8()));
        }
        return Collections.unmodifiableList(out);
    }

    static List<Integer> u16List(Cursor c) {
        List<Integer> out = new ArrayList<>();
        while (c.ok() && c.remaining() >= 2 && out.size() < MAX_ITEMS) {
            out.add(c.u16());
        }
        return Collections.unmodifiableList(out);
    }

    private static List<Integer> u8List(Cursor c) {
        List<Integer> out = new ArrayList<>();
        while (c.ok() && c.remaining() > 0 && out.size() < MAX_ITEMS) {
            out.add(c.u8());
        }
        return Collections.unmodifiableList(out);
    }
}
