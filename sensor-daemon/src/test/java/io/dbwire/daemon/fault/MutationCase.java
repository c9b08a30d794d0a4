package io.dbwire.daemon.fault;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.decap.LinkType;
import io.dbwire.core.detect.alert.AlertJson;
import io.dbwire.core.pipeline.Sensor;
import io.dbwire.core.record.RecordLine;
import io.dbwire.core.tls.KeyLogStore;
import io.dbwire.daemon.fault.CapturedSessions.Frame;
import io.dbwire.daemon.fault.CapturedSessions.Session;
import io.dbwire.daemon.fault.SessionMutator.Kind;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * One fuzz case, everything derived from one seed: one to four real sessions of one capture (interleaved by
 * packet time), one to three mutations, key-log lines with invented secrets for their TLS ClientHellos, then the
 * whole engine (decap → tcp → tls → protocol → record → detect) with the JSON writers of the outputs. Checked: no
 * exception escapes, every record and alert is one valid JSON line in valid UTF-8, no credential of the input comes
 * out, and the flow table and held bytes stay within their bounds after every frame.
 */
final class MutationCase {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final String[] TLS13_LABELS = {"CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET",
        "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0"};

    /** What one case did, for the tally. */
    record Outcome(String inputClass, boolean tightBounds, List<Kind> mutations, long frames, long records, long alerts, Set<String> problems,
            long heapUsedBytes, long holdOvershoot) {}

    /**
     * How far held bytes may pass {@code tcp.max_buffered_bytes_total} between two frames: not at all (a segment
     * held for the other direction's bytes checks the total before it is held, CrossDirectionHold).
     */
    static final long HOLD_OVERSHOOT_ALLOWED = 0;

    private final SensorConfig shipped;
    private final SensorConfig tight;
    private final List<Session> corpus;

    /**
     * @param shipped the shipped defaults
     * @param tight   bounds small enough that the cases reach them (flows evicted, held bytes refused)
     */
    MutationCase(SensorConfig shipped, SensorConfig tight, List<Session> corpus) {
        this.shipped = shipped;
        this.tight = tight;
        this.corpus = corpus;
    }

    Outcome run(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Session> picked = pick(random);
        Session first = picked.get(0);
        String inputClass = picked.stream().anyMatch(Session::tls) ? "TLS" : first.protocol();
        List<Frame> frames = new ArrayList<>();
        picked.forEach(s -> frames.addAll(s.frames()));
        frames.sort(Comparator.comparingLong(Frame::tsMicros)); // stable: each session keeps its order
        SessionMutator mutator = new SessionMutator(random, first.protocol());
        List<Kind> kinds = new ArrayList<>();
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            Kind k = Kind.values()[random.nextInt(Kind.values().length)];
            kinds.add(k);
            mutator.apply(k, frames);
        }
        Set<String> forbidden = new HashSet<>();
        picked.forEach(s -> forbidden.addAll(s.credentials()));
        if (kinds.stream().noneMatch(k -> k.rewritesBytes)) {
            picked.forEach(s -> forbidden.addAll(s.literals())); // quoting intact: literals must stay masked
        }
        KeyLogStore keys = new KeyLogStore(1_000, Long.MAX_VALUE / 4);
        long firstTs = frames.isEmpty() ? 0 : frames.get(0).tsMicros();
        picked.forEach(s -> s.clientRandoms().forEach(r -> addKeyLines(keys, r, random, forbidden, firstTs)));
        boolean tightBounds = random.nextBoolean();
        SensorConfig config = tightBounds ? tight : shipped;
        String where = "case seed " + seed + " (" + describe(picked) + ", mutations " + kinds
                + (tightBounds ? ", tight bounds" : "") + ")";
        try {
            return feed(config, frames, keys, forbidden, where, inputClass, kinds);
        } catch (AssertionError e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError("escaped exception in " + where + ": " + t, t);
        }
    }

    private Outcome feed(SensorConfig config, List<Frame> frames, KeyLogStore keys, Set<String> forbidden, String where,
            String inputClass, List<Kind> kinds) {
        long[] counts = new long[3];
        RecordLine line = new RecordLine();
        Sensor sensor = new Sensor(config, r -> {
            line.encode(r);
            check(new String(utf8(line.array(), line.length(), where), StandardCharsets.UTF_8), forbidden, where);
            counts[0]++;
        }, a -> {
            check(AlertJson.toJson(a) + "\n", forbidden, where);
            counts[1]++;
        }, keys);
        for (Frame f : frames) {
            sensor.onFrame(f.bytes(), 0, f.bytes().length, LinkType.ETHERNET, f.tsMicros());
            counts[2] = Math.max(counts[2], checkBounds(config, sensor, where));
        }
        sensor.finish();
        if (sensor.activeFlows() != 0 || sensor.heldBytes() != 0) {
            throw new AssertionError(sensor.activeFlows() + " flows and " + sensor.heldBytes()
                    + " held bytes left after the end of input in " + where);
        }
        Set<String> problems = sensor.stats().problems().keySet();
        Runtime rt = Runtime.getRuntime();
        return new Outcome(inputClass, config == tight, kinds, frames.size(), counts[0], counts[1], problems,
                rt.totalMemory() - rt.freeMemory(), counts[2]);
    }

    /** @return bytes held above the total bound now (0 when within it) */
    private static long checkBounds(SensorConfig config, Sensor sensor, String where) {
        if (sensor.activeFlows() > config.tcp().maxFlows()) {
            throw new AssertionError(sensor.activeFlows() + " flows over tcp.max_flows in " + where);
        }
        long over = sensor.heldBytes() - config.tcp().maxBufferedBytesTotal();
        if (over > HOLD_OVERSHOOT_ALLOWED) {
            throw new AssertionError(sensor.heldBytes() + " held bytes, more than a segment over the total bound "
                    + config.tcp().maxBufferedBytesTotal() + " in " + where);
        }
        return Math.max(0, over);
    }

    /** One JSON object on one line, nothing the input's credentials or invented key-log secrets are in. */
    private static void check(String text, Set<String> forbidden, String where) {
        if (!text.endsWith("\n") || text.indexOf('\n') != text.length() - 1 || text.indexOf('\r') >= 0) {
            throw new AssertionError("not one line in " + where + ": " + text);
        }
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("invalid JSON in " + where + ": " + e.getMessage() + "\n" + text);
        }
        if (node == null || !node.isObject()) {
            throw new AssertionError("not a JSON object in " + where + ": " + text);
        }
        for (String secret : forbidden) {
            if (text.contains(secret)) {
                throw new AssertionError("a credential of the input came out in " + where + ": " + text);
            }
        }
    }

    private static byte[] utf8(byte[] array, int length, String where) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(array, 0, length));
        } catch (CharacterCodingException e) {
            throw new AssertionError("a record line is not valid UTF-8 in " + where, e);
        }
        return java.util.Arrays.copyOf(array, length);
    }

    /** TLS 1.2's master secret and TLS 1.3's four traffic secrets, invented: decryption fails, counted. */
    private static void addKeyLines(KeyLogStore keys, byte[] clientRandom, SplittableRandom random,
            Set<String> forbidden, long now) {
        String hexRandom = HexFormat.of().formatHex(clientRandom);
        keys.addLine("CLIENT_RANDOM " + hexRandom + " " + secret(48, random, forbidden), now);
        for (String label : TLS13_LABELS) {
            keys.addLine(label + " " + hexRandom + " " + secret(32, random, forbidden), now);
        }
    }

    private static String secret(int bytes, SplittableRandom random, Set<String> forbidden) {
        byte[] s = new byte[bytes];
        random.nextBytes(s);
        String hex = HexFormat.of().formatHex(s);
        forbidden.add(hex);
        forbidden.add(hex.toUpperCase(Locale.ROOT));
        forbidden.add(Base64.getEncoder().encodeToString(s));
        forbidden.add(hex.substring(0, 32)); // the first 16 bytes: a key's worth, in any output
        return hex;
    }

    /** The class first (PostgreSQL, MySQL, TLS equally often), then one session, then up to three neighbours. */
    private List<Session> pick(SplittableRandom random) {
        String[] classes = {"postgres", "mysql", "TLS"};
        String cls = classes[random.nextInt(classes.length)];
        List<Session> ofClass = corpus.stream().filter(s -> s.inputClass().equals(cls)).toList();
        Session first = ofClass.get(random.nextInt(ofClass.size()));
        List<Session> out = new ArrayList<>(List.of(first));
        if (random.nextInt(4) == 0) {
            List<Session> sameCapture = corpus.stream().filter(s -> s.capture().equals(first.capture())).toList();
            for (int n = 1 + random.nextInt(3); n > 0; n--) {
                out.add(sameCapture.get(random.nextInt(sameCapture.size())));
            }
        }
        return out;
    }

    private String describe(List<Session> picked) {
        StringBuilder b = new StringBuilder();
        for (Session s : picked) {
            b.append(b.length() == 0 ? "" : ", ").append(s.capture()).append(" session ").append(corpus.indexOf(s));
        }
        return b.toString();
    }
}
