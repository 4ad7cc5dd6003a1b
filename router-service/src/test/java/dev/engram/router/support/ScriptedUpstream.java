package dev.engram.router.support;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The LLM provider, outside the system, stubbed at the HTTP boundary: records every request it receives (path,
 * headers, body) and answers what the test scripted ({@link #answerWith}), by default a one-line chat completion.
 */
public final class ScriptedUpstream extends ScriptedServer {

    /** A request as the provider received it; header names lower-cased. */
    public record Received(String path, Map<String, String> headers, String body) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** How the provider answers one request. */
    @FunctionalInterface
    public interface Answer {
        void send(HttpExchange exchange) throws IOException;
    }

    /** The default answer's text. */
    public static final String DEFAULT_ANSWER = "Hello from the provider.";

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger broken = new AtomicInteger();
    private volatile Answer answer = json(200, completion(DEFAULT_ANSWER));

    ScriptedUpstream() {
        serve(exchange -> {
            try (exchange) {
                Map<String, String> headers = new TreeMap<>();
                exchange.getRequestHeaders()
                        .forEach(
                                (name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                String query = exchange.getRequestURI().getRawQuery();
                received.add(new Received(
                        exchange.getRequestURI().getRawPath() + (query == null ? "" : "?" + query), headers, body));
                try {
                    answer.send(exchange);
                } catch (IOException e) {
                    broken.incrementAndGet(); // the router closed the connection while the answer was being sent
                }
            }
        });
    }

    /** Answers every request from now on with {@code next}. */
    public void answerWith(Answer next) {
        answer = next;
    }

    /** Back to the default answer, nothing recorded. */
    public void reset() {
        answer = json(200, completion(DEFAULT_ANSWER));
        received.clear();
        broken.set(0);
    }

    /** Answers that could not be sent whole because the connection was closed on the provider. */
    public int brokenAnswers() {
        return broken.get();
    }

    /** The requests received so far, oldest first. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    /** The one request received since the last reset. */
    public Received only() {
        if (received.size() != 1) {
            throw new AssertionError("expected one upstream request, got " + received.size());
        }
        return received.getFirst();
    }

    /** A JSON answer with the given status. */
    public static Answer json(int status, String body) {
        return json(status, body, Map.of());
    }

    /** A JSON answer with the given status and extra headers. */
    public static Answer json(int status, String body, Map<String, String> headers) {
        return exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        };
    }

    /**
     * A Server-Sent Events answer: the first event at once, the others only after {@code release} opened (or 10 s passed),
     * so a test can see the first event reach the client while the provider still holds the rest.
     */
    public static Answer events(List<String> dataLines, CountDownLatch release) {
        return events(dataLines, release, new AtomicBoolean());
    }

    /** As {@link #events(List, CountDownLatch)}, setting {@code restSent} just before the held-back events go out. */
    public static Answer events(List<String> dataLines, CountDownLatch release, AtomicBoolean restSent) {
        return exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            for (int i = 0; i < dataLines.size(); i++) {
                if (i == 1) {
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    restSent.set(true);
                }
                out.write(("data: " + dataLines.get(i) + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        };
    }

    /**
     * A Server-Sent Events answer that sends {@code dataLine} every {@code everyMillis} for {@code totalMillis}: long
     * enough for a closed connection to be noticed on this side ({@link #brokenAnswers()}).
     */
    public static Answer trickle(String dataLine, long everyMillis, long totalMillis) {
        return exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            for (long sent = 0; sent * everyMillis < totalMillis; sent++) {
                out.write(("data: " + dataLine + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                try {
                    Thread.sleep(everyMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        };
    }

    /** An OpenAI chat completion whose message is {@code content}. */
    public static String completion(String content) {
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":"
                + "{\"role\":\"assistant\",\"content\":\"" + content + "\"},\"finish_reason\":\"stop\"}]}";
    }
}
