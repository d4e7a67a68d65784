package law.courtdocs.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Instant;
import law.courtdocs.text.TextPolicy;

/**
 * Every JSON string a caller sends passes {@link TextPolicy} while it is read, so no endpoint,
 * present or future, can take text the database cannot hold: a refused string fails the read
 * with {@link Refused}, which names the field (400, see {@link ProblemMappers}); so does an
 * instant outside what PostgreSQL stores. A key that
 * appears twice in one object is refused too: which of the two values counts would be a guess.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    /** Last, so our deserializers win over the java.time module Quarkus registers. */
    @Override
    public int priority() {
        return MINIMUM_PRIORITY;
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new SimpleModule("court-input")
                .addDeserializer(String.class, new TextDeserializer(TextPolicy.Lines.SINGLE))
                .addDeserializer(Instant.class, new StorableInstant()));
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        // "" or a string of blanks (NUL included) for a number or a boolean is no value the caller
        // can have meant: refused naming the field, instead of silently read as absent
        for (LogicalType type : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            mapper.coercionConfigFor(type).setAcceptBlankAsEmpty(false)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
    }

    /** The earliest and latest instant a caller may send: PostgreSQL's timestamps end long before Java's. */
    static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    /** A field held a value the service cannot store; its path says which field. */
    public static final class Refused extends JsonMappingException {
        private final String reason;

        Refused(JsonParser parser, String reason) {
            super(parser, reason);
            this.reason = reason;
        }

        /** What is wrong with the text, without the text. */
        public String reason() {
            return reason;
        }
    }

    static final class StorableInstant extends StdScalarDeserializer<Instant> {
        StorableInstant() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                String problem = TextPolicy.problem(p.getText(), TextPolicy.Lines.SINGLE);
                if (problem != null || p.getText().isBlank()) {
                    // the java.time reader would take a blank string as no value at all
                    throw new Refused(p, problem != null ? problem : "is not a timestamp");
                }
            }
            Instant value = InstantDeserializer.INSTANT.deserialize(p, ctxt);
            if (value != null && (value.isBefore(EARLIEST) || value.isAfter(LATEST))) {
                throw new Refused(p, "is outside the years 1970 to 9999");
            }
            return value;
        }
    }

    static final class TextDeserializer extends StdScalarDeserializer<String> implements ContextualDeserializer {
        private final TextPolicy.Lines lines;

        TextDeserializer(TextPolicy.Lines lines) {
            super(String.class);
            this.lines = lines;
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String value = StringDeserializer.instance.deserialize(p, ctxt);
            String problem = TextPolicy.problem(value, lines);
            if (problem != null) {
                throw new Refused(p, problem);
            }
            return value;
        }

        @Override
        public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property) {
            boolean multi = property != null && property.getAnnotation(MultiLine.class) != null;
            return multi ? new TextDeserializer(TextPolicy.Lines.MULTI) : this;
        }
    }
}
