package dev.engram.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadBenchmarkTest {

    @Test
    void holdsBothRatesAgainstAStackAndReportsEveryFigure(@TempDir Path run) throws Exception {
        AtomicInteger adds = new AtomicInteger();
        AtomicInteger searches = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/v3/documents", exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/v3/documents")) {
                exchange.getRequestBody().readAllBytes();
                answer(exchange, 200, "{\"id\":\"d" + adds.incrementAndGet() + "\",\"status\":\"queued\"}");
            } else if (path.equals("/v3/documents/processing")) {
                answer(exchange, 200, "{\"documents\":[]}");
            } else {
                answer(exchange, 200, "{\"status\":\"done\",\"chunkCount\":1}");
            }
        });
        server.createContext("/v4/search", exchange -> {
            exchange.getRequestBody().readAllBytes();
            searches.incrementAndGet();
            answer(exchange, 200, "{\"results\":[],\"total\":0}");
        });
        server.start();
        // This JVM stands in for a service: its memory is sampled like one.
        Files.writeString(
                run.resolve("ingest-service.pid"),
                Long.toString(ProcessHandle.current().pid()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            int exit = LoadBenchmark.run(
                    new String[] {
                        "--base-url", "http://127.0.0.1:" + server.getAddress().getPort(),
                        "--api-key", "k",
                        "--ingest-rate", "20",
                        "--search-rate", "30",
                        "--duration", "2s",
                        "--warm-up", "0",
                        "--sample", "200ms",
                        "--drain", "5s",
                        "--run-dir", run.toString()
                    },
                    Map.of(),
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));

            String report = out.toString(StandardCharsets.UTF_8);
            assertThat(exit).as(report + err).isEqualTo(LoadBenchmark.OK);
            assertThat(adds.get()).isEqualTo(40);
            assertThat(searches.get()).isEqualTo(60);
            assertThat(report)
                    .contains("ingest  POST /v3/documents")
                    .contains("search  POST /v4/search")
                    .contains("200=40")
                    .contains("200=60")
                    .contains("accepted 40, after the drain {done=40}")
                    .contains("ingest-service")
                    .contains("RESULT    PASS")
                    .contains("\"passed\":true");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anUnreachableStackIsReportedAsUnusable() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = LoadBenchmark.run(
                new String[] {"--base-url", "http://127.0.0.1:9", "--duration", "1s"},
                Map.of(),
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(exit).isEqualTo(LoadBenchmark.UNUSABLE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("not reachable");
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
