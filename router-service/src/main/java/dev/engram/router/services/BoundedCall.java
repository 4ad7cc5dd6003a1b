package dev.engram.router.services;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * A side call to another Engram service on a request's path (search for memories, ingest for a conversation's turns):
 * over a pooled non-blocking client, with the Engram key, bounded as a whole by a timeout. Every failure comes back as
 * a {@link ServiceUnavailableException} coded {@code <code>-timeout}, {@code <code>-error} (thrown by the answer's
 * reader) or {@code <code>-unavailable}, for the caller to fail open.
 *
 * @param vertx the router's Vert.x
 * @param client a client from {@link #client}
 * @param service the service's name in messages ({@code search}, {@code ingest})
 * @param code the prefix of the failure codes ({@code memory}, {@code history})
 * @param timeout the bound of the whole call, connection included
 */
public record BoundedCall(Vertx vertx, HttpClient client, String service, String code, Duration timeout) {

    /** A pooled keep-alive client whose connections are bounded by {@code timeout}. */
    public static HttpClient client(Vertx vertx, Duration timeout) {
        return vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(64).setConnectTimeout((int)
                        timeout.toMillis()));
    }

    /** {@code base} without a trailing slash, to append paths to. */
    public static String root(URI base) {
        String text = base.toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    /**
     * Sends {@code options} (with {@code body}, if not null) and reads the answer with {@code read(status, body)}, which
     * throws a {@link ServiceUnavailableException} for an answer it cannot use.
     */
    public <T> Future<T> send(
            RequestOptions options, Buffer body, Optional<String> key, BiFunction<Integer, Buffer, T> read) {
        long timeoutMillis = timeout.toMillis();
        options.setIdleTimeout(timeoutMillis).putHeader(HttpHeaders.ACCEPT, "application/json");
        key.ifPresent(value -> options.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + value));
        Promise<T> result = Promise.promise();
        long timer = vertx.setTimer(
                timeoutMillis,
                id -> result.tryFail(new ServiceUnavailableException(
                        code + "-timeout", service + " did not answer within " + timeoutMillis + " ms")));
        client.request(options)
                .compose(request -> body == null ? request.send() : request.send(body))
                .compose(response -> response.body().map(bytes -> read.apply(response.statusCode(), bytes)))
                .onComplete(done -> {
                    vertx.cancelTimer(timer);
                    if (done.succeeded()) {
                        result.tryComplete(done.result());
                    } else if (done.cause() instanceof ServiceUnavailableException unavailable) {
                        result.tryFail(unavailable);
                    } else {
                        result.tryFail(new ServiceUnavailableException(
                                code + "-unavailable",
                                service + " is unreachable ("
                                        + done.cause().getClass().getSimpleName() + ")"));
                    }
                });
        return result.future();
    }

    /** A failure for an answer that cannot be used: {@code <code>-error}. */
    public ServiceUnavailableException error(String message) {
        return new ServiceUnavailableException(code + "-error", message);
    }
}
