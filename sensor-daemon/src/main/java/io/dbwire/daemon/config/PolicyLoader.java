package io.dbwire.daemon.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.dbwire.core.config.PolicyConfig;
import io.dbwire.core.detect.policy.PolicyEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads config/policy.yml (docs/alerts.md, "Policy") and the statement allow-list files it imports. Binding is
 * strict like dbwire.yml: an unknown key, a duplicate key or a value of the wrong type is rejected with the file,
 * the line and the expected shape; then the core compiles the policy ({@link PolicyEngine#compile}), which names
 * a bad group reference, zone, CIDR or time by its key.
 */
public final class PolicyLoader {
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '([^']*)'");
    private final ObjectMapper mapper = new ObjectMapper(YAMLFactory.builder()
                    .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .registerModule(new DurationModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    /** The policy named by {@code detection.policy}, or {@link PolicyConfig#NONE} when it names none. */
    public PolicyConfig forConfig(DaemonConfig config) throws ConfigException {
        String file = config.detection().policy();
        return file == null ? PolicyConfig.NONE : load(Path.of(file));
    }

    /** Reads, binds and checks a policy file, with the allow-list file it imports. */
    public PolicyConfig load(Path file) throws ConfigException {
        PolicyFile f = bind(file, PolicyFile.class);
        if (f == null) {
            throw new ConfigException(file + ": empty (expected: a mapping with groups, rules, ignore, allowlist)");
        }
        PolicyFile.Groups g = f.groups() == null ? new PolicyFile.Groups(null, null, null, null, null, null)
                : f.groups();
        List<PolicyConfig.Rule> rules = new ArrayList<>();
        for (PolicyFile.Rule r : f.rules() == null ? List.<PolicyFile.Rule>of() : f.rules()) {
            rules.add(new PolicyConfig.Rule(r.name(), r.kind(), r.severity(), r.users(), r.applications(),
                    r.networks(), r.tables(), r.hours(), r.windows(), r.operations(),
                    r.thinkTime() == null ? 0 : r.thinkTime().toNanos() / 1000,
                    r.interactiveStatements() == null ? 0 : r.interactiveStatements()));
        }
        PolicyConfig.AllowList allow = new PolicyConfig.AllowList("off", List.of());
        if (f.allowlist() != null) {
            List<PolicyConfig.AllowEntry> entries = List.of();
            if (f.allowlist().file() != null) {
                Path base = file.toAbsolutePath().getParent();
                entries = loadAllowList(base.resolve(f.allowlist().file())).entries();
            }
            allow = new PolicyConfig.AllowList(f.allowlist().mode() == null ? "learn" : f.allowlist().mode(), entries);
        }
        PolicyConfig p;
        try {
            p = new PolicyConfig(g.users(), g.applications(), g.networks(), g.tables(), g.hours(), g.windows(),
                    rules, f.ignore(), allow);
        } catch (NullPointerException e) {
            throw new ConfigException(file + ": groups: a group without members (expected: a list, [] if empty)");
        }
        return check(file, p);
    }

    /** The policy with its allow-list mode and/or entries replaced (replay's --allowlist-mode, --allowlist). */
    public static PolicyConfig withAllowList(Path where, PolicyConfig p, String mode,
            List<PolicyConfig.AllowEntry> entries) throws ConfigException {
        List<PolicyConfig.AllowEntry> all = new ArrayList<>(p.allowlist().entries());
        all.addAll(entries);
        PolicyConfig changed = new PolicyConfig(p.users(), p.applications(), p.networks(), p.tables(), p.hours(),
                p.windows(), p.rules(), p.ignore(),
                new PolicyConfig.AllowList(mode == null ? p.allowlist().mode() : mode, all));
        return check(where, changed);
    }

    /** Reads an allow-list file (the export format). */
    public PolicyConfig.AllowList loadAllowList(Path file) throws ConfigException {
        PolicyFile.AllowListFile a = bind(file, PolicyFile.AllowListFile.class);
        List<PolicyConfig.AllowEntry> entries = a == null || a.entries() == null ? List.of() : a.entries();
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).server() == null) {
                throw new ConfigException(file + ": entries[" + i + "].server: missing (expected: ip:port)");
            }
        }
        return new PolicyConfig.AllowList(a == null || a.mode() == null ? "learn" : a.mode(), entries);
    }

    /** Writes an allow-list tree (the allow-list detector's snapshot) as a readable YAML file. */
    public void writeAllowList(Path file, Object tree) throws IOException {
        Files.writeString(file, allowListYaml(tree));
    }

    /** An allow-list tree as the YAML text of an allow-list file, with a header saying what it is. */
    public String allowListYaml(Object tree) throws IOException {
        String header = "# dbwire statement allow-list: per (server, user, application) the statement fingerprints\n"
                + "# it may send (docs/alerts.md, \"Statement allow-list\"). Import it with the policy's\n"
                + "# allowlist.file or replay --allowlist.\n";
        Object body = tree == null ? Map.of("entries", List.of()) : tree;
        return header + mapper.writeValueAsString(body);
    }

    private static PolicyConfig check(Path file, PolicyConfig p) throws ConfigException {
        try {
            PolicyEngine.compile(p);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file + ": " + e.getMessage());
        }
        return p;
    }

    private <T> T bind(Path file, Class<T> type) throws ConfigException {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ConfigException(file + ": no such readable file");
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(file + ": " + e.getMessage());
        }
        try {
            return mapper.readValue(text, type);
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException(file + keyLine(text, e) + ": " + ConfigErrors.keyOf(e.getPath())
                    + ": unknown key (expected one of: " + known(e.getKnownPropertyIds()) + ")");
        } catch (JsonMappingException e) {
            Matcher duplicate = DUPLICATE.matcher(e.getOriginalMessage());
            if (duplicate.find()) {
                // inside a bound value the parser's duplicate error arrives wrapped, with the path of the mapping
                String section = e.getPath().isEmpty() ? "" : ConfigErrors.keyOf(e.getPath()) + ".";
                String at = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
                throw new ConfigException(file + ": " + section + duplicate.group(1) + ": stated twice" + at);
            }
            String expected = e.getOriginalMessage().lines().findFirst().orElse("");
            throw new ConfigException(file + line(e) + ": " + ConfigErrors.keyOf(e.getPath())
                    + ": wrong shape (" + shape(expected) + ")");
        } catch (JsonProcessingException e) {
            ConfigException duplicate = DuplicateKey.from(e);
            if (duplicate != null) {
                throw new ConfigException(file + ": " + duplicate.getMessage());
            }
            throw new ConfigException(file + line(e) + ": not valid YAML: "
                    + e.getOriginalMessage().lines().findFirst().orElse(""));
        }
    }

    /**
     * The line of the unknown key itself. Records are bound through a buffer, so the parser may already stand at
     * the end of the mapping when Jackson reports the key; the key is found again by its path.
     */
    private String keyLine(String text, JsonMappingException e) {
        StringBuilder wanted = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            wanted.append('/').append(r.getFieldName() != null ? r.getFieldName() : Integer.toString(r.getIndex()));
        }
        try (com.fasterxml.jackson.core.JsonParser p = mapper.getFactory().createParser(text)) {
            while (p.nextToken() != null) {
                if (p.currentToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME
                        && p.getParsingContext().pathAsPointer().toString().contentEquals(wanted)) {
                    return " line " + p.currentTokenLocation().getLineNr();
                }
            }
        } catch (IOException ignored) {
            // fall back to where Jackson stopped
        }
        return line(e);
    }

    private static String line(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " line " + e.getLocation().getLineNr();
    }

    /** Jackson's "Cannot deserialize value of type `java.util.ArrayList<…>` from …" as the shape it wanted. */
    private static String shape(String message) {
        if (message.contains("`java.util.List") || message.contains("`java.util.ArrayList")) {
            return "expected: a list";
        }
        if (message.contains("`java.util.Map") || message.contains("`java.util.LinkedHashMap")
                || message.contains("PolicyConfig$") || message.contains("PolicyFile$")) {
            return "expected: a mapping";
        }
        if (message.contains("`java.lang.String")) {
            return "expected: a single value, not a list or mapping";
        }
        if (message.contains("java.time.Duration")) {
            return "expected: " + DurationText.EXPECTED;
        }
        if (message.contains("`java.lang.Integer") || message.contains("`int")) {
            return "expected: an integer";
        }
        return message;
    }

    private static String known(java.util.Collection<Object> ids) {
        TreeSet<String> names = new TreeSet<>();
        ids.forEach(id -> names.add(String.valueOf(id)));
        return String.join(", ", names);
    }
}
