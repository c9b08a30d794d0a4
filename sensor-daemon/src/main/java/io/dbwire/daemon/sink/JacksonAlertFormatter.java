package io.dbwire.daemon.sink;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.dbwire.core.detect.Alert;
import io.dbwire.core.detect.Severity;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * TEMPORARY alert form until {@code AlertJson} lands: every {@link Alert} component in declaration order,
 * snake_case, severity as its lower-case name. Times stay in microseconds here (AlertJson formats them).
 */
public final class JacksonAlertFormatter implements AlertFormatter {
    private final ObjectMapper mapper = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .registerModule(new SimpleModule().addSerializer(Severity.class, new JsonSerializer<>() {
                @Override
                public void serialize(Severity s, JsonGenerator g, SerializerProvider p) throws IOException {
                    g.writeString(s.json());
                }
            }));

    @Override
    public String format(Alert alert) {
        try {
            return mapper.writeValueAsString(alert);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
