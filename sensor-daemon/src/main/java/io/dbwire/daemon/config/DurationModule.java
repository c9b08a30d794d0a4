package io.dbwire.daemon.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.Duration;

/** Binds {@link Duration} to the {@link DurationText} forms, both ways (defaults are serialised to merge). */
final class DurationModule extends SimpleModule {
    DurationModule() {
        super("dbwire-durations");
        addSerializer(Duration.class, new JsonSerializer<>() {
            @Override
            public void serialize(Duration value, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeString(DurationText.format(value));
            }
        });
        addDeserializer(Duration.class, new JsonDeserializer<>() {
            @Override
            public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                if (p.currentToken() != JsonToken.VALUE_NUMBER_INT && p.currentToken() != JsonToken.VALUE_STRING) {
                    return (Duration) ctx.handleUnexpectedToken(Duration.class, p);
                }
                String text = p.getText();
                Duration d = DurationText.parse(text);
                if (d == null) {
                    return (Duration) ctx.handleWeirdStringValue(Duration.class, text, DurationText.EXPECTED);
                }
                return d;
            }
        });
    }
}
