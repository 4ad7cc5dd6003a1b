package dev.engram.writer.messaging;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The trace a consumed record belongs to: its Kafka headers' W3C context (written by the publishing service's outbox
 * relay), continued by one consume span per record, so every document of a batch keeps its own trace through the
 * pipeline's stages.
 */
@ApplicationScoped
public class RecordTrace {

    private static final TextMapGetter<Headers> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            List<String> keys = new ArrayList<>();
            headers.forEach(h -> keys.add(h.key()));
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            if (headers == null) {
                return null;
            }
            Header header = headers.lastHeader(key);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    @Inject
    OpenTelemetry openTelemetry;

    @Inject
    Tracer tracer;

    /**
     * Records the consumption of {@code record} as a span named {@code spanName}, child of the record's propagated
     * context; returns the context the record's processing continues in. Attributes: topic, partition, offset.
     */
    public Context consumed(KafkaRecord<String, String> record, String spanName) {
        return consumed(record.getHeaders(), record.getTopic(), record.getPartition(), spanName);
    }

    /** {@link #consumed(KafkaRecord, String)} for a record of a plain Kafka consumer. */
    public Context consumed(ConsumerRecord<String, String> record, String spanName) {
        return consumed(record.headers(), record.topic(), record.partition(), spanName);
    }

    private Context consumed(Headers headers, String topic, int partition, String spanName) {
        Context parent =
                openTelemetry.getPropagators().getTextMapPropagator().extract(Context.root(), headers, HEADERS);
        Span span = tracer.spanBuilder(spanName)
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.destination.name", topic)
                .setAttribute("messaging.kafka.destination.partition", partition)
                .startSpan();
        span.end();
        return parent.with(span);
    }
}
