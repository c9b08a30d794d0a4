package io.dbwire.daemon.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;

/**
 * The parser reads only {@code true}/{@code false} as booleans, so an enum-valued key keeps a bare {@code off} as
 * the word "off" (YAML 1.1 would have made it {@code false}). Boolean keys still take the YAML 1.1 words
 * (yes/no, on/off, y/n) so a config written for YAML 1.1 keeps working.
 */
final class BooleanWordsModule extends SimpleModule {
    private static final Set<String> TRUE_WORDS = Set.of("true", "yes", "y", "on");
    private static final Set<String> FALSE_WORDS = Set.of("false", "no", "n", "off");

    BooleanWordsModule() {
        super("dbwire-boolean-words");
        addDeserializer(Boolean.class, new JsonDeserializer<>() {
            @Override
            public Boolean deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                JsonToken t = p.currentToken();
                if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
                    return t == JsonToken.VALUE_TRUE;
                }
                if (t != JsonToken.VALUE_STRING) {
                    return (Boolean) ctx.handleUnexpectedToken(Boolean.class, p);
                }
                Boolean b = parse(p.getText());
                return b != null ? b : (Boolean) ctx.handleWeirdStringValue(Boolean.class, p.getText(), "true or false");
            }
        });
    }

    /** The boolean a YAML 1.1 word stands for, or null when it is none of them. */
    static Boolean parse(String word) {
        String w = word.trim().toLowerCase(Locale.ROOT);
        if (TRUE_WORDS.contains(w)) {
            return Boolean.TRUE;
        }
        return FALSE_WORDS.contains(w) ? Boolean.FALSE : null;
    }
}
