package dev.engram.router.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A JDK HTTP server on a free port of 127.0.0.1 that the tests script: the common part of the router's test peers. */
abstract class ScriptedServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();

    ScriptedServer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(executor);
    }

    /** Starts answering: every path goes to {@code handler}. Called once, by the subclass's constructor. */
    final void serve(HttpHandler handler) {
        server.createContext("/", handler);
        server.start();
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** The port it listens on (127.0.0.1). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Answers {@code code} with a JSON {@code body} of known length. */
    static void answerJson(HttpExchange exchange, int code, String body) throws IOException {
        byte[] answer = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, answer.length);
        exchange.getResponseBody().write(answer);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
