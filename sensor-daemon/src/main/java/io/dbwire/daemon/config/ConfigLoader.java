package io.dbwire.daemon.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads dbwire.yml. The file is merged key by key over the built-in defaults (so a file may state only what it
 * changes), bound strictly (unknown keys are errors, floats are not integers) and then validated.
 */
public final class ConfigLoader {
    /** Looked for in this order when no --config is given; the built-in defaults apply when neither exists. */
    public static final List<Path> DEFAULT_LOCATIONS = List.of(Path.of("config/dbwire.yml"), Path.of("/etc/dbwire/dbwire.yml"));

    // Only true/false are booleans: `records.statement: off` must stay the word "off" (see BooleanWordsModule).
    // A key stated twice is an error (naming it), not last-wins.
    private final ObjectMapper mapper = new ObjectMapper(YAMLFactory.builder()
                    .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .registerModule(new DurationModule())
            .registerModule(new BooleanWordsModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    /** The policy the last {@link #loadFile} read and checked, handed on so that nothing parses it again. */
    private io.dbwire.core.config.PolicyConfig policy = io.dbwire.core.config.PolicyConfig.NONE;

    /** The explicit file if given, else the first default location that exists, else the defaults. */
    public DaemonConfig load(Path explicit, List<Path> defaultLocations) throws ConfigException {
        if (explicit != null) {
            return loadFile(explicit);
        }
        for (Path p : defaultLocations) {
            if (Files.isRegularFile(p)) {
                return loadFile(p);
            }
        }
        return DaemonConfig.defaults();
    }

    public DaemonConfig loadFile(Path file) throws ConfigException {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ConfigException(file + ": no such readable file");
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(file + ": " + e.getMessage());
        }
        DaemonConfig config = parse(text);
        policy = new PolicyLoader().forConfig(config); // a bad policy file stops the start like a bad config
        return config;
    }

    /**
     * The DAM policy of the configuration loaded last ({@code detection.policy}), as read and checked with it;
     * {@link io.dbwire.core.config.PolicyConfig#NONE} when it names none or the defaults were taken.
     */
    public io.dbwire.core.config.PolicyConfig policy() {
        return policy;
    }

    /** Parses YAML text; an empty document means all defaults. */
    public DaemonConfig parse(String yaml) throws ConfigException {
        JsonNode user;
        try {
            user = mapper.readTree(yaml);
        } catch (JsonProcessingException e) {
            ConfigException duplicate = DuplicateKey.from(e);
            if (duplicate != null) {
                throw duplicate;
            }
            throw new ConfigException("not valid YAML: " + e.getOriginalMessage().lines().findFirst().orElse("")
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        }
        if (user == null || user.isMissingNode() || user.isNull()) {
            return DaemonConfig.defaults();
        }
        if (!user.isObject()) {
            throw new ConfigException("(top level): " + user + " (expected: a mapping of sections)");
        }
        ObjectNode merged = mapper.valueToTree(DaemonConfig.defaults());
        merge(merged, (ObjectNode) user);
        DaemonConfig config;
        try {
            config = mapper.treeToValue(merged, DaemonConfig.class);
        } catch (JsonMappingException e) {
            throw ConfigErrors.from(e, merged);
        } catch (JsonProcessingException e) {
            throw new ConfigException(e.getOriginalMessage());
        }
        ConfigValidator.validate(config);
        return config;
    }

    /** Objects merge key by key; anything else (scalars, lists, null) replaces the default. */
    private static void merge(ObjectNode base, ObjectNode over) {
        for (Map.Entry<String, JsonNode> e : over.properties()) {
            JsonNode current = base.get(e.getKey());
            if (current instanceof ObjectNode c && e.getValue() instanceof ObjectNode o) {
                merge(c, o);
            } else {
                base.set(e.getKey(), e.getValue());
            }
        }
    }
}
