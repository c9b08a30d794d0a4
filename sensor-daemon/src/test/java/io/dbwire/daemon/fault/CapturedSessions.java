package io.dbwire.daemon.fault;

import io.dbwire.core.config.DecapConfig;
import io.dbwire.core.decap.Decapsulator;
import io.dbwire.core.decap.DecodedPacket;
import io.dbwire.core.decap.LinkType;
import io.dbwire.daemon.source.PcapFileSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real captures of testdata cut into TCP sessions (one per connection, frames as captured, Ethernet), with
 * the credentials each carries on the wire: SCRAM client proofs, MySQL auth responses, and the client randoms of
 * its TLS ClientHellos (for key-log lines the fuzzer invents). What a fuzzer mutates, and what must never come out.
 */
final class CapturedSessions {
    /** The server ports of testdata's captures (make-*-capture.sh, stories/record-stories.sh). */
    private static final Map<Integer, String> SERVER_PORTS = Map.of(
            5432, "postgres", 25432, "postgres", 13306, "mysql", 23306, "mysql");
    private static final Pattern SCRAM_PROOF = Pattern.compile("c=[A-Za-z0-9+/=]+,r=[^,]+,p=([A-Za-z0-9+/]+=*)");
    /** A statement password in the stories' privilege sessions: {@code PASSWORD '…'}, {@code IDENTIFIED BY '…'}. */
    private static final Pattern STATEMENT_PASSWORD = Pattern.compile("(?:PASSWORD|IDENTIFIED BY) '([^']{6,})'");

    record Frame(byte[] bytes, long tsMicros) {}

    /**
     * @param credentials   wire credentials as they could be printed (base64 proofs, hex and base64 auth responses)
     * @param literals      passwords inside statement literals: they must stay masked while the bytes are intact
     * @param clientRandoms the 32-byte randoms of the session's ClientHellos
     */
    record Session(String capture, String protocol, int serverPort, boolean tls, List<Frame> frames,
            Set<String> credentials, Set<String> literals, List<byte[]> clientRandoms) {
        String inputClass() {
            return tls ? "TLS" : protocol;
        }
    }

    private CapturedSessions() {}

    static List<Session> load(Path... captures) throws Exception {
        List<Session> all = new ArrayList<>();
        for (Path capture : captures) {
            all.addAll(split(capture));
        }
        return all;
    }

    private static List<Session> split(Path capture) throws Exception {
        Decapsulator decap = new Decapsulator(DecapConfig.defaults());
        DecodedPacket p = new DecodedPacket();
        Map<String, Builder> flows = new LinkedHashMap<>();
        PcapFileSource.read(capture, (frame, offset, length, linkType, ts) -> {
            if (linkType != LinkType.ETHERNET || !decap.decode(frame, offset, length, linkType, ts, p)) {
                return;
            }
            boolean toServer = SERVER_PORTS.containsKey(p.dstPort);
            int serverPort = toServer ? p.dstPort : p.srcPort;
            if (!SERVER_PORTS.containsKey(serverPort)) {
                return;
            }
            int clientPort = toServer ? p.srcPort : p.dstPort;
            String key = (toServer ? p.srcLo : p.dstLo) + ":" + clientPort + ">" + serverPort;
            Builder b = flows.computeIfAbsent(key, k -> new Builder(capture.getFileName().toString(), serverPort));
            b.frames.add(new Frame(Arrays.copyOfRange(frame, offset, offset + length), ts));
            if (toServer && p.payloadLength > 0) {
                b.clientPayload(Arrays.copyOfRange(p.data, p.payloadOffset, p.payloadOffset + p.payloadLength));
            }
        });
        List<Session> out = new ArrayList<>();
        for (Builder b : flows.values()) {
            out.add(b.build());
        }
        return out;
    }

    private static final class Builder {
        final String capture;
        final int serverPort;
        final List<Frame> frames = new ArrayList<>();
        final Set<String> credentials = new LinkedHashSet<>();
        final Set<String> literals = new LinkedHashSet<>();
        final List<byte[]> randoms = new ArrayList<>();
        boolean tls;
        int clientSegments;

        Builder(String capture, int serverPort) {
            this.capture = capture;
            this.serverPort = serverPort;
        }

        void clientPayload(byte[] b) {
            clientSegments++;
            String text = new String(b, StandardCharsets.ISO_8859_1);
            Matcher proof = SCRAM_PROOF.matcher(text);
            while (proof.find()) {
                credentials.add(proof.group(1));
            }
            Matcher literal = STATEMENT_PASSWORD.matcher(text);
            while (literal.find()) {
                literals.add(literal.group(1));
            }
            // TLS record (handshake, TLS 1.x) holding a ClientHello: random at record 5 + handshake 4 + version 2
            if (b.length >= 43 && b[0] == 0x16 && b[1] == 0x03 && b[5] == 0x01) {
                tls = true;
                randoms.add(Arrays.copyOfRange(b, 11, 43));
            }
            if ("mysql".equals(SERVER_PORTS.get(serverPort))) {
                mysqlAuthResponse(b);
            }
        }

        /**
         * HandshakeResponse41 (sequence 1): capabilities(4) max-packet(4) charset(1) filler(23) user NUL, then the
         * auth response with a length-encoded (PLUGIN_AUTH_LENENC_CLIENT_DATA) or a one-byte length.
         */
        private void mysqlAuthResponse(byte[] b) {
            if (b.length < 4 + 32 + 2 || b[3] != 1) {
                return;
            }
            int caps = (b[4] & 0xFF) | (b[5] & 0xFF) << 8 | (b[6] & 0xFF) << 16 | (b[7] & 0xFF) << 24;
            if ((caps & 0x0200) == 0) { // CLIENT_PROTOCOL_41
                return;
            }
            int at = 4 + 32;
            while (at < b.length && b[at] != 0) {
                at++;
            }
            at++;
            if (at >= b.length) {
                return;
            }
            int len = b[at] & 0xFF; // lenenc below 251 is one byte, as the one-byte length
            at++;
            if (len < 8 || at + len > b.length) {
                return;
            }
            byte[] auth = Arrays.copyOfRange(b, at, at + len);
            credentials.add(HexFormat.of().formatHex(auth));
            credentials.add(Base64.getEncoder().encodeToString(auth));
        }

        Session build() {
            String protocol = SERVER_PORTS.get(serverPort);
            return new Session(capture, protocol, serverPort, tls, List.copyOf(frames), Set.copyOf(credentials),
                    Set.copyOf(literals), List.copyOf(randoms));
        }
    }
}
