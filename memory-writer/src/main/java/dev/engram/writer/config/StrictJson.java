package dev.engram.writer.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.core.json.StorableTextModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Request bodies are one JSON value and nothing after it: {@code {"q":"x"} junk} or two objects in a row is a 400
 * (malformed JSON), not the first object with the rest ignored, as Jackson does by default. And no string or key in
 * them may hold text PostgreSQL cannot store ({@link StorableTextModule}): a 400 naming the field.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.registerModule(new StorableTextModule());
    }
}
