package dev.engram.writer.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.engram.core.net.Cidr;
import dev.engram.writer.fetch.FetchException.Kind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UrlFetcherTest {

    private static final String PAGE = "<html><head><title>Hello</title></head><body><p>Hi there</p></body></html>";

    private static TestServer server;
    private static int port;

    /** Test DNS: names resolve to what a test needs, without any real lookup except for "localhost". */
    private static final Map<String, List<String>> DNS = Map.of(
            "origin.test", List.of("127.0.0.1"),
            "intranet.test", List.of("10.0.0.5"),
            "mixed.test", List.of("93.184.216.34", "127.0.0.1"));

    private final AtomicInteger resolutions = new AtomicInteger();

    @BeforeAll
    static void startServer() throws IOException {
        server = TestServer.http()
                .route("/page", exchange -> TestServer.send(exchange, 200, "text/html; charset=utf-8", PAGE))
                .route("/relative-redirect", exchange -> TestServer.redirect(exchange, "/page?from=redirect"))
                .route("/to-loopback", exchange -> TestServer.redirect(exchange, "http://127.0.0.1:" + port + "/page"))
                .route("/to-localhost", exchange -> TestServer.redirect(exchange, "http://localhost:" + port + "/page"))
                .route(
                        "/to-metadata",
                        exchange -> TestServer.redirect(exchange, "http://169.254.169.254/latest/meta-data/"))
                .route("/to-intranet", exchange -> TestServer.redirect(exchange, "http://intranet.test/wiki"))
                .route("/to-file", exchange -> TestServer.redirect(exchange, "file:///etc/passwd"))
                .route("/loop", exchange -> TestServer.redirect(exchange, "/loop"))
                .route("/big-unannounced", exchange -> {
                    exchange.sendResponseHeaders(200, 0); // chunked: no Content-Length
                    try (OutputStream out = exchange.getResponseBody()) {
                        byte[] kilobyte = new byte[1024];
                        for (int i = 0; i < 64; i++) {
                            out.write(kilobyte);
                        }
                    } catch (IOException clientGaveUp) {
                        // expected: the fetcher aborts
                    }
                })
                .route("/big-announced", exchange -> {
                    exchange.sendResponseHeaders(200, 64 * 1024);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(new byte[64 * 1024]);
                    } catch (IOException clientGaveUp) {
                        // expected: the fetcher aborts
                    }
                })
                .route("/gzip-bomb", exchange -> {
                    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
                    try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
                        gzip.write(new byte[1024 * 1024]);
                    }
                    exchange.getResponseHeaders().set("Content-Encoding", "gzip");
                    exchange.sendResponseHeaders(200, compressed.size());
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(compressed.toByteArray());
                    } catch (IOException clientGaveUp) {
                        // expected
                    }
                })
                .route("/gzip-page", exchange -> {
                    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
                    try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
                        gzip.write(PAGE.getBytes(StandardCharsets.UTF_8));
                    }
                    exchange.getResponseHeaders().set("Content-Encoding", "gzip");
                    exchange.getResponseHeaders().set("Content-Type", "text/html");
                    exchange.sendResponseHeaders(200, compressed.size());
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(compressed.toByteArray());
                    }
                })
                .route("/slow", exchange -> {
                    sleep(3000);
                    TestServer.send(exchange, 200, "text/plain", "too late");
                })
                .route("/trickle", exchange -> {
                    exchange.sendResponseHeaders(200, 0);
                    try (OutputStream out = exchange.getResponseBody()) {
                        for (int i = 0; i < 50; i++) {
                            out.write('x');
                            out.flush();
                            sleep(100);
                        }
                    } catch (IOException clientGaveUp) {
                        // expected
                    }
                })
                .route("/status/503", exchange -> {
                    exchange.getResponseHeaders().set("Retry-After", "7");
                    TestServer.send(exchange, 503, "text/plain", "busy");
                })
                .route("/status/429", exchange -> TestServer.send(exchange, 429, "text/plain", "slow down"))
                .route("/status/404", exchange -> TestServer.send(exchange, 404, "text/plain", "secret body"))
                .route("/no-content-type", exchange -> {
                    exchange.sendResponseHeaders(200, 5);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write("plain".getBytes(StandardCharsets.US_ASCII));
                    }
                })
                .start();
        port = server.port();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void clearRequests() {
        server.requests().clear();
    }

    private HostResolver testDns() {
        return host -> {
            resolutions.incrementAndGet();
            if (host.equals("localhost")) {
                return HostResolver.system().resolve(host);
            }
            if (host.equals("mapped.test")) { // an IPv6 answer carrying the metadata address (::ffff:169.254.169.254)
                byte[] mapped = {
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    (byte) 0xff,
                    (byte) 0xff,
                    (byte) 169,
                    (byte) 254,
                    (byte) 169,
                    (byte) 254
                };
                return List.of(Inet6Address.getByAddress(null, mapped, -1));
            }
            List<String> addresses = DNS.get(host);
            if (addresses == null) {
                throw new UnknownHostException(host);
            }
            return addresses.stream().map(UrlFetcherTest::literal).toList();
        };
    }

    /** The test DNS, "origin.test" (127.0.0.1) allow-listed by name, a 10 s total limit. */
    private FetchConfig config() {
        return FetchConfig.defaults()
                .withResolver(testDns())
                .withAllowList(AllowList.of("origin.test"))
                .withTotalTimeout(Duration.ofSeconds(10));
    }

    private static String url(String host, String path) {
        return "http://" + host + ":" + port + path;
    }

    @Test
    void fetchesAPageFromTheCheckedAddressWithTheOriginalHostHeader() {
        FetchedContent content = new UrlFetcher(config()).fetch(url("origin.test", "/page"));

        assertThat(new String(content.body(), StandardCharsets.UTF_8)).isEqualTo(PAGE);
        assertThat(content.contentType()).isEqualTo("text/html; charset=utf-8");
        assertThat(content.finalUrl()).isEqualTo(URI.create(url("origin.test", "/page")));
        assertThat(server.requests()).singleElement().satisfies(seen -> {
            assertThat(seen.host()).isEqualTo("origin.test:" + port);
            assertThat(seen.userAgent()).isEqualTo(FetchConfig.DEFAULT_USER_AGENT);
        });
        assertThat(resolutions).hasValue(1);
    }

    @Test
    void resolvesOnceAndConnectsToTheAddressItChecked() {
        // DNS rebinding: the first answer is allowed, any later answer points elsewhere. The fetcher must neither ask
        // again nor connect anywhere but the first answer.
        AtomicInteger calls = new AtomicInteger();
        HostResolver rebinding =
                host -> List.of(calls.getAndIncrement() == 0 ? literal("127.0.0.1") : literal("10.0.0.9"));
        FetchConfig config = config().withResolver(rebinding).withAllowList(AllowList.of("127.0.0.1"));

        FetchedContent content = new UrlFetcher(config).fetch(url("rebind.test", "/page"));

        assertThat(new String(content.body(), StandardCharsets.UTF_8)).isEqualTo(PAGE);
        assertThat(calls).hasValue(1);
    }

    @Test
    void followsRelativeRedirectsAndReportsTheFinalUrl() {
        FetchedContent content = new UrlFetcher(config()).fetch(url("origin.test", "/relative-redirect"));

        assertThat(content.finalUrl()).isEqualTo(URI.create(url("origin.test", "/page?from=redirect")));
        assertThat(server.requestsTo("/page")).isEqualTo(1);
    }

    @Test
    void decodesGzipBodies() {
        FetchedContent content = new UrlFetcher(config()).fetch(url("origin.test", "/gzip-page"));

        assertThat(new String(content.body(), StandardCharsets.UTF_8)).isEqualTo(PAGE);
    }

    @Test
    void aMissingContentTypeIsReportedAsOctetStream() {
        assertThat(new UrlFetcher(config())
                        .fetch(url("origin.test", "/no-content-type"))
                        .contentType())
                .isEqualTo("application/octet-stream");
    }

    @Test
    void aRedirectToALoopbackAddressIsRefused() {
        FetchException e = failure(config(), url("origin.test", "/to-loopback"));

        assertThat(e.kind()).isEqualTo(Kind.REFUSED_ADDRESS);
        assertThat(e.retriable()).isFalse();
        assertThat(e.getMessage()).contains("127.0.0.1", "loopback");
        assertThat(server.requestsTo("/page")).isZero();
    }

    @Test
    void aRedirectToLocalhostIsRefused() {
        FetchException e = failure(config(), url("origin.test", "/to-localhost"));

        assertThat(e.kind()).isEqualTo(Kind.REFUSED_ADDRESS);
        assertThat(e.getMessage()).contains("'localhost'", "loopback");
        assertThat(server.requestsTo("/page")).isZero();
    }

    @Test
    void aRedirectToTheCloudMetadataAddressIsRefused() {
        FetchException e = failure(config(), url("origin.test", "/to-metadata"));

        assertThat(e.kind()).isEqualTo(Kind.REFUSED_ADDRESS);
        assertThat(e.getMessage()).contains("169.254.169.254", "link-local");
    }

    @Test
    void aRedirectToAHostResolvingToAPrivateAddressIsRefused() {
        FetchException e = failure(config(), url("origin.test", "/to-intranet"));

        assertThat(e.kind()).isEqualTo(Kind.REFUSED_ADDRESS);
        assertThat(e.getMessage())
                .isEqualTo("refused to fetch from 'intranet.test': it resolves to 10.0.0.5, a private address");
    }

    @Test
    void aRedirectToANonHttpSchemeIsRefused() {
        assertThat(failure(config(), url("origin.test", "/to-file")).kind()).isEqualTo(Kind.INVALID_URL);
    }

    @Test
    void oneNonPublicAddressAmongPublicOnesRefusesTheHost() {
        FetchException e = failure(config(), "http://mixed.test/");

        assertThat(e.kind()).isEqualTo(Kind.REFUSED_ADDRESS);
        assertThat(e.getMessage()).contains("127.0.0.1");
    }

    @Test
    void aHostResolvingToAnIpv4MappedMetadataAddressIsRefused() {
        FetchException e = failure(config(), "http://mapped.test/");

        assertThat(e.kind()).isEqualTo(Kind.REFUSED_ADDRESS);
        assertThat(e.getMessage()).contains("169.254.169.254");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://127.0.0.1:PORT/page",
                "http://127.1.2.3:PORT/page",
                "http://[::1]:PORT/page",
                "http://[::ffff:127.0.0.1]:PORT/page",
                "http://[::ffff:7f00:1]:PORT/page",
                "http://0.0.0.0:PORT/page",
                "http://[::]:PORT/page",
                "http://10.1.2.3/",
                "http://172.16.0.1/",
                "http://172.31.255.255/",
                "http://192.168.1.1/",
                "http://100.64.0.1/",
                "http://169.254.169.254/latest/meta-data/",
                "http://[::ffff:169.254.169.254]/latest/meta-data/",
                "http://[fe80::1]/",
                "http://[fc00::1]/",
                "http://[fd00:ec2::254]/latest/meta-data/",
                "http://224.0.0.1/",
                "http://[ff02::1]/",
                "http://[64:ff9b::a00:1]/",
                "http://[2002:a00:1::1]/",
                "https://192.168.0.10/secure"
            })
    void literalNonPublicAddressesAreRefusedWithoutAConnection(String template) {
        String url = template.replace("PORT", String.valueOf(port));

        FetchException e = failure(config(), url);

        assertThat(e.kind()).isEqualTo(Kind.REFUSED_ADDRESS);
        assertThat(e.retriable()).isFalse();
        assertThat(resolutions).as("a literal address needs no lookup").hasValue(0);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void localhostIsRefusedUnlessAllowListed() {
        FetchConfig withoutAllowList = config().withAllowList(AllowList.none());

        FetchException e = failure(withoutAllowList, url("localhost", "/page"));

        assertThat(e.kind()).isEqualTo(Kind.REFUSED_ADDRESS);
        assertThat(server.requests()).isEmpty();

        FetchedContent content =
                new UrlFetcher(config().withAllowList(AllowList.of("localhost"))).fetch(url("localhost", "/page"));
        assertThat(new String(content.body(), StandardCharsets.UTF_8)).isEqualTo(PAGE);
    }

    @Test
    void anAllowListedNetworkPermitsLiteralAddresses() {
        FetchConfig config = config().withAllowList(AllowList.of("127.0.0.0/8"));

        FetchedContent content = new UrlFetcher(config).fetch(url("127.0.0.1", "/page"));

        assertThat(content.body()).isNotEmpty();
        assertThat(failure(config, "http://10.0.0.1/").kind()).isEqualTo(Kind.REFUSED_ADDRESS);
    }

    @Test
    void aBodyLargerThanTheLimitIsAbortedEvenWithoutContentLength() {
        FetchException e = failure(config().withMaxBytes(16 * 1024), url("origin.test", "/big-unannounced"));

        assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE);
        assertThat(e.retriable()).isFalse();
        assertThat(e.getMessage()).contains("origin.test", "16384 bytes");
    }

    @Test
    void anAnnouncedLengthOverTheLimitIsRefusedBeforeReading() {
        FetchException e = failure(config().withMaxBytes(16 * 1024), url("origin.test", "/big-announced"));

        assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE);
    }

    @Test
    void theLimitAppliesToTheDecompressedBody() {
        FetchException e = failure(config().withMaxBytes(64 * 1024), url("origin.test", "/gzip-bomb"));

        assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE);
    }

    @Test
    void aSlowServerTimesOutWithinTheTotalLimit() {
        long started = System.nanoTime();

        FetchException e = failure(config().withTotalTimeout(Duration.ofMillis(500)), url("origin.test", "/slow"));

        assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(e.retriable()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2500));
    }

    @Test
    void aTricklingBodyCannotStretchTheTotalLimit() {
        long started = System.nanoTime();

        FetchException e = failure(config().withTotalTimeout(Duration.ofMillis(700)), url("origin.test", "/trickle"));

        assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2500));
    }

    @Test
    void serverErrorsAndRateLimitsAreRetriableClientErrorsAreNot() {
        FetchException unavailable = failure(config(), url("origin.test", "/status/503"));
        FetchException limited = failure(config(), url("origin.test", "/status/429"));
        FetchException missing = failure(config(), url("origin.test", "/status/404"));

        assertThat(unavailable.kind()).isEqualTo(Kind.HTTP_STATUS);
        assertThat(unavailable.statusCode()).isEqualTo(503);
        assertThat(unavailable.retriable()).isTrue();
        assertThat(unavailable.retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(limited.retriable()).isTrue();
        assertThat(missing.retriable()).isFalse();
        assertThat(missing.getMessage())
                .isEqualTo("'origin.test' answered HTTP 404")
                .doesNotContain("secret");
    }

    @Test
    void redirectsAreBounded() {
        FetchException e = failure(config().withMaxRedirects(3), url("origin.test", "/loop"));

        assertThat(e.kind()).isEqualTo(Kind.TOO_MANY_REDIRECTS);
        assertThat(server.requestsTo("/loop")).isEqualTo(4);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ftp://origin.test/file",
                "file:///etc/passwd",
                "gopher://origin.test/",
                "http://user:secret@origin.test/page",
                "not a url",
                "/relative/path",
                "http:///no-host"
            })
    void onlyAbsoluteHttpUrlsWithoutCredentialsAreFetched(String url) {
        FetchException e = failure(config(), url);

        assertThat(e.kind()).isEqualTo(Kind.INVALID_URL);
        assertThat(e.getMessage()).doesNotContain("secret");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void anUnknownHostIsRetriable() {
        FetchException e = failure(config(), "http://nowhere.test/");

        assertThat(e.kind()).isEqualTo(Kind.UNKNOWN_HOST);
        assertThat(e.retriable()).isTrue();
    }

    @Test
    void aRefusedConnectionIsRetriable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        FetchException e = failure(config(), "http://origin.test:" + closedPort + "/");

        assertThat(e.kind()).isEqualTo(Kind.CONNECTION_FAILED);
        assertThat(e.retriable()).isTrue();
    }

    private static FetchException failure(FetchConfig config, String url) {
        Throwable thrown = catchThrowable(() -> new UrlFetcher(config).fetch(url));
        assertThat(thrown).isInstanceOf(FetchException.class);
        return (FetchException) thrown;
    }

    private static InetAddress literal(String address) {
        return Cidr.parseLiteral(address).orElseThrow();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
