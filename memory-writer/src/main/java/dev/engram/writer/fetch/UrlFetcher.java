package dev.engram.writer.fetch;

import dev.engram.core.net.Cidr;
import dev.engram.core.net.SpecialAddresses;
import dev.engram.writer.fetch.FetchException.Kind;
import dev.engram.writer.fetch.HttpResponseReader.BodyTooLarge;
import dev.engram.writer.fetch.HttpResponseReader.Head;
import dev.engram.writer.fetch.HttpResponseReader.ProtocolViolation;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.ZipException;
import javax.net.ssl.SSLException;
import org.jboss.logging.Logger;

/**
 * Fetches the document behind a URL that a user gave as content, guarded against server-side request forgery.
 *
 * <p>For every hop (the URL and each redirect, followed here, never by a library):
 *
 * <ol>
 *   <li>only absolute http and https URLs without credentials are accepted;
 *   <li>the host is resolved once, through the configured {@link HostResolver}, within the time limit;
 *   <li>every resolved address must be a public unicast address ({@link SpecialAddresses}) unless the host name or the
 *       address is on the {@link AllowList}; one bad address refuses the hop, before any connection is made;
 *   <li>the connection goes to one of exactly those checked addresses ({@link PinnedConnection}), with the original
 *       {@code Host} header and, for https, SNI and certificate checks against the original host name, so a second DNS
 *       answer can never redirect the connection (no DNS-rebinding window).
 * </ol>
 *
 * <p>The response body is limited in size whether or not the server announces a length, and the whole fetch is
 * limited in time. The class is thread-safe and holds no connections between calls.
 */
public final class UrlFetcher {

    private static final Logger LOG = Logger.getLogger(UrlFetcher.class);

    private final FetchConfig config;

    public UrlFetcher(FetchConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Fetches a URL, following redirects.
     *
     * @param url an absolute http or https URL
     * @return the body, its declared content type and the final URL
     * @throws FetchException if the URL is refused or the fetch fails; see {@link FetchException#kind()}
     */
    public FetchedContent fetch(String url) {
        Objects.requireNonNull(url, "url");
        Deadline deadline = Deadline.after(config.totalTimeout());
        Target target = Target.of(url);
        for (int redirects = 0; ; redirects++) {
            List<InetAddress> addresses = resolveAndCheck(target, deadline);
            Response response = exchange(target, addresses, deadline);
            int status = response.head().status();
            if (isRedirect(status)) {
                String location = response.head().header("location");
                if (location == null || location.isBlank()) {
                    throw new FetchException(
                            Kind.HTTP_STATUS,
                            "'" + target.host() + "' answered HTTP " + status + " without a Location",
                            status,
                            null,
                            null);
                }
                if (redirects >= config.maxRedirects()) {
                    throw new FetchException(
                            Kind.TOO_MANY_REDIRECTS,
                            "gave up after " + config.maxRedirects() + " redirects (the last from '" + target.host()
                                    + "')");
                }
                target = Target.of(redirectTarget(target, location));
                LOG.debugf("following redirect %d", redirects + 1);
                continue;
            }
            if (status >= 200 && status < 300) {
                String contentType = Optional.ofNullable(response.head().header("content-type"))
                        .filter(value -> !value.isBlank())
                        .orElse("application/octet-stream");
                LOG.debugf("fetched %d bytes after %d redirects", response.body().length, redirects);
                return new FetchedContent(response.body(), contentType, target.uri());
            }
            throw new FetchException(
                    Kind.HTTP_STATUS,
                    "'" + target.host() + "' answered HTTP " + status,
                    status,
                    retryAfter(response.head()),
                    null);
        }
    }

    private record Response(Head head, byte[] body) {}

    /** Resolves the hop's host and checks every address; returns them in the resolver's order. */
    private List<InetAddress> resolveAndCheck(Target target, Deadline deadline) {
        Optional<InetAddress> literal = Cidr.parseLiteral(target.host());
        List<InetAddress> addresses = literal.isPresent() ? List.of(literal.get()) : resolve(target.host(), deadline);
        if (addresses.isEmpty()) {
            throw new FetchException(Kind.UNKNOWN_HOST, "'" + target.host() + "' did not resolve to any address");
        }
        boolean hostAllowed = literal.isEmpty() && config.allowList().allowsHost(target.host());
        for (InetAddress address : addresses) {
            if (hostAllowed || config.allowList().allowsAddress(address)) {
                continue;
            }
            Optional<String> reason = SpecialAddresses.forbiddenReason(address);
            if (reason.isPresent()) {
                String shown = Cidr.unmapped(address).getHostAddress();
                String message = literal.isPresent()
                        ? "refused to fetch from " + shown + ": it is " + reason.get()
                        : "refused to fetch from '" + target.host() + "': it resolves to " + shown + ", "
                                + reason.get();
                throw new FetchException(Kind.REFUSED_ADDRESS, message);
            }
        }
        return addresses;
    }

    /** Runs the resolver on its own thread so a hanging lookup cannot outlast the fetch's time limit. */
    private List<InetAddress> resolve(String host, Deadline deadline) {
        FutureTask<List<InetAddress>> lookup =
                new FutureTask<>(() -> config.resolver().resolve(host));
        Thread.ofPlatform().daemon().name("engram-fetch-resolve").start(lookup);
        try {
            List<InetAddress> addresses = lookup.get(deadline.remainingMillis(), TimeUnit.MILLISECONDS);
            return addresses == null ? List.of() : List.copyOf(addresses);
        } catch (TimeoutException e) {
            lookup.cancel(true);
            throw timeout("resolving '" + host + "'", deadline);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownHostException) {
                throw new FetchException(Kind.UNKNOWN_HOST, "'" + host + "' did not resolve", e.getCause());
            }
            throw new FetchException(Kind.UNKNOWN_HOST, "resolving '" + host + "' failed", e.getCause());
        } catch (InterruptedException e) {
            lookup.cancel(true);
            Thread.currentThread().interrupt();
            throw new FetchException(Kind.TIMEOUT, "interrupted while resolving '" + host + "'", e);
        }
    }

    /** Sends the GET to the first checked address that accepts a connection and reads the response. */
    private Response exchange(Target target, List<InetAddress> addresses, Deadline deadline) {
        IOException lastConnectFailure = null;
        for (InetAddress address : addresses) {
            PinnedConnection connection;
            try {
                connection = PinnedConnection.open(target, address, config, deadline);
            } catch (SocketTimeoutException e) {
                throw deadline.expired()
                        ? timeout("connecting to '" + target.host() + "'", deadline)
                        : new FetchException(
                                Kind.TIMEOUT,
                                "connecting to '" + target.host() + "' took longer than "
                                        + seconds(config.connectTimeout()),
                                e);
            } catch (SSLException e) {
                throw new FetchException(
                        Kind.TLS, "the TLS handshake with '" + target.host() + "' failed: " + e.getMessage(), e);
            } catch (IOException e) {
                lastConnectFailure = e;
                continue; // try the next checked address
            }
            try (connection) {
                OutputStream out = connection.output();
                out.write(requestHead(target));
                out.flush();
                Head head = HttpResponseReader.readHead(connection.input());
                byte[] body = head.status() >= 200 && head.status() < 300
                        ? HttpResponseReader.readBody(head, connection.input(), config.maxBytes())
                        : new byte[0];
                return new Response(head, body);
            } catch (BodyTooLarge e) {
                throw new FetchException(
                        Kind.TOO_LARGE,
                        "the response from '" + target.host() + "' is larger than the limit of " + config.maxBytes()
                                + " bytes",
                        e);
            } catch (SocketTimeoutException e) {
                throw timeout("fetching from '" + target.host() + "'", deadline);
            } catch (ProtocolViolation | ZipException e) {
                throw new FetchException(
                        Kind.PROTOCOL, "'" + target.host() + "' sent an invalid response: " + e.getMessage(), e);
            } catch (IOException e) {
                throw new FetchException(
                        Kind.CONNECTION_FAILED,
                        "the connection to '" + target.host() + "' failed: " + e.getMessage(),
                        e);
            }
        }
        throw new FetchException(
                Kind.CONNECTION_FAILED,
                "could not connect to '" + target.host() + "'"
                        + (lastConnectFailure == null ? "" : ": " + lastConnectFailure.getMessage()),
                lastConnectFailure);
    }

    private byte[] requestHead(Target target) {
        String head = "GET " + target.requestTarget() + " HTTP/1.1\r\n"
                + "Host: " + target.hostHeader() + "\r\n"
                + "User-Agent: " + config.userAgent() + "\r\n"
                + "Accept: text/html,application/xhtml+xml,application/pdf;q=0.9,text/*;q=0.9,*/*;q=0.8\r\n"
                + "Accept-Encoding: gzip\r\n"
                + "Connection: close\r\n"
                + "\r\n";
        return head.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static URI redirectTarget(Target from, String location) {
        try {
            return from.uri().resolve(new URI(location.trim()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new FetchException(Kind.PROTOCOL, "'" + from.host() + "' redirected to a malformed location", e);
        }
    }

    private static Duration retryAfter(Head head) {
        String value = head.header("retry-after");
        if (value != null && value.trim().matches("\\d{1,9}")) {
            return Duration.ofSeconds(Long.parseLong(value.trim()));
        }
        return null;
    }

    private static FetchException timeout(String what, Deadline deadline) {
        return new FetchException(Kind.TIMEOUT, what + " took longer than " + seconds(deadline.total()));
    }

    private static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
