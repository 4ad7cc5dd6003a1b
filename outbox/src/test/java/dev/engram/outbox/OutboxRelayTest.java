package dev.engram.outbox;

import static dev.engram.outbox.OutboxTestBed.commit;
import static dev.engram.outbox.OutboxTestBed.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.engram.testsupport.KafkaProbe;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The relay against a real PostgreSQL and Kafka broker, without any framework around it. */
class OutboxRelayTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final List<OutboxRelay> relays = new ArrayList<>();
    private DataSource dataSource;
    private String table;
    private String topic;

    @BeforeEach
    void newTableAndTopic() throws Exception {
        dataSource = OutboxTestBed.dataSource();
        table = OutboxTestBed.newOutboxTable(dataSource);
        topic = OutboxTestBed.newTopic(3);
    }

    @AfterEach
    void closeRelays() {
        relays.forEach(OutboxRelay::close);
    }

    @Test
    void committedRowsAreRelayedInOrderWithKeyAndHeadersThenDeleted() throws Exception {
        commit(dataSource, table, List.of(row("user_1", "first", Map.of("x-origin", "test")), row("user_1", "second")));
        commit(dataSource, table, List.of(row("user_1", "third")));

        OutboxRelay relay = start(OutboxTestBed.settings(table));

        await().atMost(WAIT).until(() -> count(dataSource, table) == 0);
        var records = read(3);
        assertThat(records).extracting(ConsumerRecord::value).containsExactly("first", "second", "third");
        assertThat(records).extracting(ConsumerRecord::key).containsOnly("user_1");
        assertThat(KafkaProbe.header(records.get(0), "x-origin")).isEqualTo("test");
        assertThat(relay.relayedCount()).isEqualTo(3);
        assertThat(relay.lastError()).isNull();
        assertThat(relay.isAlive()).isTrue();
    }

    @Test
    void rowsOfARolledBackTransactionAreNeverRelayed() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            OutboxInserts.insert(connection, table, row("user_1", "rolled back"));
            connection.rollback();
        }
        commit(dataSource, table, List.of(row("user_1", "committed")));

        start(OutboxTestBed.settings(table));

        await().atMost(WAIT).until(() -> count(dataSource, table) == 0);
        var records = KafkaProbe.onTestBroker().read(topic, r -> true, found -> false, Duration.ofSeconds(3));
        assertThat(records).extracting(ConsumerRecord::value).containsExactly("committed");
    }

    @Test
    void wakeUpRelaysANewRowWithoutWaitingForThePoll() throws Exception {
        OutboxRelay relay = start(OutboxTestBed.settings(table)
                .withTimings(Duration.ofMinutes(5), Duration.ofSeconds(5), Duration.ofMillis(500)));
        await().atMost(WAIT).until(() -> relay.isAlive());
        Thread.sleep(500); // let the first (empty) pass finish so the relay waits out its 5-minute poll

        commit(dataSource, table, List.of(row("user_1", "woken")));
        relay.wakeUp();

        await().atMost(Duration.ofSeconds(10)).until(() -> count(dataSource, table) == 0);
        assertThat(read(1)).extracting(ConsumerRecord::value).containsExactly("woken");
    }

    @Test
    void relayWaitsWhileAnotherHoldsTheTablesAdvisoryLock() throws Exception {
        OutboxRelaySettings settings = OutboxTestBed.settings(table);
        commit(dataSource, table, List.of(row("user_1", "waiting")));
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement lock = other.prepareStatement("select pg_advisory_xact_lock(?)")) {
                lock.setLong(1, settings.lockKey());
                lock.execute();
            }
            start(settings);
            Thread.sleep(1_500);
            assertThat(count(dataSource, table))
                    .as("rows while the lock is held elsewhere")
                    .isEqualTo(1);
            other.commit();
        }

        await().atMost(WAIT).until(() -> count(dataSource, table) == 0);
        assertThat(read(1)).extracting(ConsumerRecord::value).containsExactly("waiting");
    }

    @Test
    void twoReplicasRelayEveryRowExactlyOnceAndInOrder() throws Exception {
        OutboxRelaySettings settings = OutboxTestBed.settings(table).withBatchSize(7);
        start(settings);
        start(settings);
        List<String> expected =
                IntStream.range(0, 120).mapToObj(i -> "event-" + i).toList();
        for (int i = 0; i < expected.size(); i += 10) {
            commit(
                    dataSource,
                    table,
                    expected.subList(i, i + 10).stream()
                            .map(value -> row("user_1", value))
                            .toList());
        }

        await().atMost(WAIT).until(() -> count(dataSource, table) == 0);
        var records = KafkaProbe.onTestBroker().read(topic, r -> true, found -> false, Duration.ofSeconds(5));
        assertThat(records).extracting(ConsumerRecord::value).containsExactlyElementsOf(expected);
    }

    @Test
    void publishSpanContinuesTheTraceStoredWithTheRow() throws Exception {
        List<SpanData> ended = new CopyOnWriteArrayList<>();
        SdkTracerProvider tracing = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(new Collecting(ended)))
                .build();
        OpenTelemetry openTelemetry = openTelemetry(tracing);
        SpanContext request = SpanContext.create(
                "0af7651916cd43dd8448eb211c80319c",
                "b7ad6b7169203331",
                TraceFlags.getSampled(),
                TraceState.getDefault());
        Map<String, String> trace;
        try (var scope = Context.root().with(Span.wrap(request)).makeCurrent()) {
            trace = TraceHeaders.current(openTelemetry);
        }
        commit(dataSource, table, List.of(row("user_1", "traced", trace)));

        OutboxRelay relay = new OutboxRelay(dataSource, OutboxTestBed.settings(table), openTelemetry);
        relays.add(relay);
        relay.start();

        var record = read(1).get(0);
        String traceparent = KafkaProbe.header(record, "traceparent");
        await().atMost(WAIT).until(() -> !ended.isEmpty());
        SpanData publish = ended.get(0);
        assertThat(publish.getName()).isEqualTo("OutboxRelay.publish");
        assertThat(publish.getTraceId()).isEqualTo(request.getTraceId());
        assertThat(publish.getParentSpanId()).isEqualTo(request.getSpanId());
        assertThat(traceparent).isEqualTo("00-" + request.getTraceId() + "-" + publish.getSpanId() + "-01");
        tracing.close();
    }

    private OutboxRelay start(OutboxRelaySettings settings) {
        OutboxRelay relay = OutboxTestBed.startRelay(dataSource, settings);
        relays.add(relay);
        return relay;
    }

    private List<ConsumerRecord<String, String>> read(int count) {
        var records = KafkaProbe.onTestBroker().read(topic, r -> true, found -> found.size() >= count, WAIT);
        assertThat(records).hasSize(count);
        return records;
    }

    private OutboxRow row(String key, String payload) {
        return row(key, payload, Map.of());
    }

    private OutboxRow row(String key, String payload, Map<String, String> headers) {
        return new OutboxRow("org_default", topic, key, payload, headers);
    }

    private static OpenTelemetry openTelemetry(TracerProvider tracerProvider) {
        ContextPropagators propagators = ContextPropagators.create(W3CTraceContextPropagator.getInstance());
        return new OpenTelemetry() {
            @Override
            public TracerProvider getTracerProvider() {
                return tracerProvider;
            }

            @Override
            public ContextPropagators getPropagators() {
                return propagators;
            }
        };
    }

    /** Keeps ended spans in memory. */
    private record Collecting(List<SpanData> ended) implements SpanExporter {
        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            ended.addAll(spans);
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
