package dev.engram.writer.fetch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/** A JDK HTTP(S) server on 127.0.0.1 that records the requests it receives. */
final class TestServer implements AutoCloseable {

    /** What the server saw. */
    record Seen(String path, String host, String userAgent) {}

    private final HttpServer server;
    private final List<Seen> requests = new CopyOnWriteArrayList<>();

    private TestServer(HttpServer server) {
        this.server = server;
        server.setExecutor(Executors.newCachedThreadPool());
    }

    static TestServer http() throws IOException {
        return new TestServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
    }

    static TestServer https(SSLContext tls) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        return new TestServer(server);
    }

    TestServer route(String path, HttpHandler handler) {
        server.createContext(path, exchange -> {
            requests.add(new Seen(
                    exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Host"),
                    exchange.getRequestHeaders().getFirst("User-Agent")));
            try (exchange) {
                handler.handle(exchange);
            }
        });
        return this;
    }

    TestServer start() {
        server.start();
        return this;
    }

    int port() {
        return server.getAddress().getPort();
    }

    List<Seen> requests() {
        return requests;
    }

    long requestsTo(String path) {
        return requests.stream().filter(seen -> seen.path().equals(path)).count();
    }

    static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(302, -1);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
