package dev.engram.writer.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.engram.core.net.Cidr;
import dev.engram.writer.fetch.FetchException.Kind;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * https through a pinned address: the connection goes to the checked IP while SNI and certificate verification use
 * the URL's host name. The server certificate is made for this run with the JDK's keytool.
 */
class UrlFetcherTlsTest {

    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    static Path keys;

    private static TestServer server;
    private static SSLContext clientTls;

    @BeforeAll
    static void startServer() throws Exception {
        Path keystore = keys.resolve("server.p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "server",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=origin.test",
                        "-ext",
                        "SAN=dns:origin.test",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        keystore.toString(),
                        "-storepass",
                        new String(PASSWORD),
                        "-keypass",
                        new String(PASSWORD))
                .redirectErrorStream(true)
                .start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(output).isZero();

        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD);
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(store, PASSWORD);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keyManagers.getKeyManagers(), null, null);

        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("server", store.getCertificate("server"));
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trusted);
        clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, trustManagers.getTrustManagers(), null);

        server = TestServer.https(serverTls)
                .route("/page", exchange -> TestServer.send(exchange, 200, "text/plain", "over tls"))
                .start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static FetchConfig config() {
        InetAddress loopback = Cidr.parseLiteral("127.0.0.1").orElseThrow();
        return FetchConfig.defaults()
                .withResolver(host -> List.of(loopback))
                .withAllowList(AllowList.of("origin.test", "impostor.test"))
                .withSslContext(clientTls)
                .withTotalTimeout(Duration.ofSeconds(10));
    }

    @Test
    void theCertificateIsVerifiedAgainstTheHostNameWhileConnectingToTheCheckedAddress() {
        FetchedContent content = new UrlFetcher(config()).fetch("https://origin.test:" + server.port() + "/page");

        assertThat(new String(content.body(), StandardCharsets.UTF_8)).isEqualTo("over tls");
        assertThat(server.requests())
                .singleElement()
                .satisfies(seen -> assertThat(seen.host()).isEqualTo("origin.test:" + server.port()));
    }

    @Test
    void aCertificateForAnotherNameFailsTheHandshakePermanently() {
        Throwable thrown = catchThrowable(
                () -> new UrlFetcher(config()).fetch("https://impostor.test:" + server.port() + "/page"));

        assertThat(thrown).isInstanceOfSatisfying(FetchException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.TLS);
            assertThat(e.retriable()).isFalse();
            assertThat(e.getMessage()).contains("impostor.test");
        });
    }
}
