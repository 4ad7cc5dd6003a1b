package dev.engram.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CPU time memory-writer's in-process embedding model has used, from the writer's own counter
 * ({@code engram_embedding_model_cpu_seconds_total} at {@code /q/metrics}; the embedder sums it over every thread that
 * runs the model). Read on the port the launcher wrote to {@code <run dir>/ports.env}. Set against the machine's busy
 * time over the end-to-end phase, it gives what the pipeline costs beyond the model.
 */
final class ModelCpu {

    /** The counter's Prometheus name. */
    static final String SERIES = "engram_embedding_model_cpu_seconds_total";

    /** The launcher's variable holding memory-writer's HTTP port. */
    static final String PORT_VARIABLE = "ENGRAM_MEMORY_WRITER_PORT";

    private static final Pattern SAMPLE =
            Pattern.compile("(?m)^" + Pattern.quote(SERIES) + "(?:\\{[^}]*\\})? ([0-9.Ee+-]+)$");

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI metrics;

    ModelCpu(URI metrics) {
        this.metrics = metrics;
    }

    /** memory-writer's metrics on the port in {@code <runDir>/ports.env}; empty if the file or the port is missing. */
    static Optional<ModelCpu> ofStack(Path runDir) {
        Path ports = runDir.resolve("ports.env");
        if (!Files.isReadable(ports)) {
            return Optional.empty();
        }
        try {
            return port(Files.readString(ports))
                    .map(port -> new ModelCpu(URI.create("http://127.0.0.1:" + port + "/q/metrics")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The port in a {@code ports.env} text ({@code NAME=value} lines). */
    static Optional<Integer> port(String portsEnv) {
        for (String line : portsEnv.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith(PORT_VARIABLE + "=")) {
                String value = trimmed.substring(PORT_VARIABLE.length() + 1)
                        .replace("\"", "")
                        .strip();
                try {
                    return Optional.of(Integer.parseInt(value));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** The counter now, in seconds; empty if the writer does not answer or has no such counter (no ONNX model). */
    OptionalDouble seconds() {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(metrics)
                            .timeout(Duration.ofSeconds(10))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? parse(response.body()) : OptionalDouble.empty();
        } catch (IOException e) {
            return OptionalDouble.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalDouble.empty();
        }
    }

    /** The counter's value in a Prometheus text, or empty if it is not there. */
    static OptionalDouble parse(String prometheusText) {
        Matcher m = SAMPLE.matcher(prometheusText);
        return m.find() ? OptionalDouble.of(Double.parseDouble(m.group(1))) : OptionalDouble.empty();
    }

    /** The counter's growth between two readings; empty unless both were read. */
    static OptionalDouble between(OptionalDouble before, OptionalDouble after) {
        return before.isPresent() && after.isPresent()
                ? OptionalDouble.of(Math.max(0, after.getAsDouble() - before.getAsDouble()))
                : OptionalDouble.empty();
    }
}
