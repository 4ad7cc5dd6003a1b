package dev.engram.outbox;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import java.util.HashMap;
import java.util.Map;

/** The trace context to store with an outbox row, so the relay's publish joins the trace of the change. */
public final class TraceHeaders {

    private TraceHeaders() {}

    /**
     * The current context's propagation headers (W3C {@code traceparent}, {@code tracestate}, baggage), as {@code
     * openTelemetry}'s propagators write them. Call it on the thread that made the change, before any asynchronous
     * hop; empty when there is no active trace or the propagators are no-ops.
     */
    public static Map<String, String> current(OpenTelemetry openTelemetry) {
        Map<String, String> headers = new HashMap<>();
        openTelemetry.getPropagators().getTextMapPropagator().inject(Context.current(), headers, Map::put);
        return headers;
    }
}
