package dev.engram.deploy.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code k8s/grafana/engram-dashboard.json} queries only metrics the services export: each of Engram's own metric names
 * must be registered, as a string literal in Micrometer's dotted spelling, in a service's main sources; each metric of
 * a framework (the Kafka client's, Quarkus's HTTP server's) must be asserted by a service's metrics test.
 */
class DashboardTest {

    static final Path DASHBOARD = Path.of("k8s/grafana/engram-dashboard.json");
    static final List<String> SERVICES = List.of("ingest-service", "search-service", "router-service", "memory-writer");

    /** Metrics the services do not register themselves; their tests scrape them. */
    static final Set<String> FRAMEWORK = Set.of(
            "kafka_consumer_fetch_manager_records_lag", // the Kafka client, through SmallRye Reactive Messaging
            "http_server_requests_seconds_count"); // Quarkus's HTTP server binder

    private static final Set<String> NOT_METRICS = Set.of(
            "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SUFFIX = Pattern.compile("_(bucket|count|sum|max|total)$");

    @Test
    void everyPanelQueriesThePrometheusDatasourceVariable() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        assertThat(dashboard.at("/templating/list/0/type").asText()).isEqualTo("datasource");
        assertThat(dashboard.at("/templating/list/0/query").asText()).isEqualTo("prometheus");
        String variable = "${" + dashboard.at("/templating/list/0/name").asText() + "}";
        assertThat(dashboard.path("panels")).isNotEmpty();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(panel.at("/datasource/uid").asText())
                    .as(panel.path("title").asText())
                    .isEqualTo(variable);
            assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
        }
    }

    @Test
    void everyMetricTheDashboardQueriesIsOneTheServicesExport() throws IOException {
        Set<String> queried = metricsQueried(new ObjectMapper().readTree(DASHBOARD.toFile()));
        assertThat(queried).contains("engram_writer_stage_seconds_bucket", "kafka_consumer_fetch_manager_records_lag");
        String mainSources = sources("src/main/java");
        String testSources = sources("src/test/java");
        for (String metric : queried) {
            if (FRAMEWORK.contains(metric)) {
                assertThat(testSources)
                        .as(metric + " asserted by a service's test")
                        .contains("\"" + metric);
            } else {
                assertThat(registeredNames(metric))
                        .as(metric + " registered by a service")
                        .anyMatch(name -> mainSources.contains("\"" + name + "\""));
            }
        }
    }

    @Test
    void theMetricExtractionFindsNamesAndSkipsFunctionsLabelsAndRanges() {
        assertThat(metricsIn("histogram_quantile(0.95, sum by (le, stage) (rate(engram_writer_stage_seconds_bucket"
                        + "{stage=~\"a|b\"}[$__rate_interval]))) / max(other_metric offset 5m)"))
                .containsExactly("engram_writer_stage_seconds_bucket", "other_metric");
        assertThat(registeredNames("engram_writer_stage_seconds_bucket")).contains("engram.writer.stage");
        assertThat(registeredNames("engram_ingest_outbox_oldest_seconds"))
                .contains("engram.ingest.outbox.oldest.seconds");
    }

    static Set<String> metricsQueried(JsonNode dashboard) {
        Set<String> found = new LinkedHashSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                found.addAll(metricsIn(target.path("expr").asText()));
            }
        }
        return found;
    }

    /** The metric names in a PromQL expression: identifiers outside label matchers, ranges and grouping lists. */
    static List<String> metricsIn(String expr) {
        String bare = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\boffset\\s+\\w+", " ");
        List<String> names = new ArrayList<>();
        Matcher m = IDENTIFIER.matcher(bare);
        while (m.find()) {
            String name = m.group();
            boolean call = bare.substring(m.end()).stripLeading().startsWith("(");
            boolean number = m.start() > 0 && Character.isDigit(bare.charAt(m.start() - 1));
            if (!call && !number && !NOT_METRICS.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    /** The dotted Micrometer names a Prometheus series may come from (a timer adds _seconds, a counter _total). */
    static Set<String> registeredNames(String series) {
        Set<String> names = new LinkedHashSet<>();
        String base = series;
        names.add(base.replace('_', '.'));
        base = SUFFIX.matcher(base).replaceFirst("");
        names.add(base.replace('_', '.'));
        if (base.endsWith("_seconds")) {
            names.add(base.substring(0, base.length() - "_seconds".length()).replace('_', '.'));
        }
        return names;
    }

    private static String sources(String dir) {
        StringBuilder all = new StringBuilder();
        for (String service : SERVICES) {
            try (Stream<Path> files = Files.walk(Path.of("..", service, dir))) {
                for (Path file :
                        files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    all.append(Files.readString(file)).append('\n');
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return all.toString();
    }
}
