package dev.engram.writer.fetch;

import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Limits and policy of a {@link UrlFetcher}.
 *
 * @param maxBytes largest response body accepted, after decompression; larger bodies abort the transfer
 * @param connectTimeout longest wait for one TCP connection
 * @param totalTimeout longest time for the whole fetch: name resolution, every redirect hop and the body
 * @param maxRedirects most redirects followed before giving up
 * @param userAgent value of the {@code User-Agent} header
 * @param allowList non-public hosts and networks that may be fetched from anyway
 * @param resolver resolves host names; the fetcher connects only to the addresses it returned and that were checked
 * @param sslContext TLS trust and protocol settings (the JVM default unless an intranet CA must be trusted)
 */
public record FetchConfig(
        long maxBytes,
        Duration connectTimeout,
        Duration totalTimeout,
        int maxRedirects,
        String userAgent,
        AllowList allowList,
        HostResolver resolver,
        SSLContext sslContext) {

    /** Default body limit: 10 MiB. */
    public static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;

    /** Default {@code User-Agent}. */
    public static final String DEFAULT_USER_AGENT = "Mozilla/5.0 (compatible; Engram/0.1; +self-hosted memory engine)";

    public FetchConfig {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(totalTimeout, "totalTimeout");
        if (maxRedirects < 0) {
            throw new IllegalArgumentException("maxRedirects must not be negative");
        }
        if (userAgent == null || userAgent.isBlank() || userAgent.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
            throw new IllegalArgumentException("userAgent must be printable ASCII");
        }
        Objects.requireNonNull(allowList, "allowList");
        Objects.requireNonNull(resolver, "resolver");
        Objects.requireNonNull(sslContext, "sslContext");
    }

    /** 10 MiB, 5 s to connect, 30 s in total, 5 redirects, public addresses only, system resolver and TLS trust. */
    public static FetchConfig defaults() {
        try {
            return new FetchConfig(
                    DEFAULT_MAX_BYTES,
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(30),
                    5,
                    DEFAULT_USER_AGENT,
                    AllowList.none(),
                    HostResolver.system(),
                    SSLContext.getDefault());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no default TLS context", e);
        }
    }

    public FetchConfig withMaxBytes(long value) {
        return new FetchConfig(
                value, connectTimeout, totalTimeout, maxRedirects, userAgent, allowList, resolver, sslContext);
    }

    public FetchConfig withConnectTimeout(Duration value) {
        return new FetchConfig(maxBytes, value, totalTimeout, maxRedirects, userAgent, allowList, resolver, sslContext);
    }

    public FetchConfig withTotalTimeout(Duration value) {
        return new FetchConfig(
                maxBytes, connectTimeout, value, maxRedirects, userAgent, allowList, resolver, sslContext);
    }

    public FetchConfig withMaxRedirects(int value) {
        return new FetchConfig(
                maxBytes, connectTimeout, totalTimeout, value, userAgent, allowList, resolver, sslContext);
    }

    public FetchConfig withUserAgent(String value) {
        return new FetchConfig(
                maxBytes, connectTimeout, totalTimeout, maxRedirects, value, allowList, resolver, sslContext);
    }

    public FetchConfig withAllowList(AllowList value) {
        return new FetchConfig(
                maxBytes, connectTimeout, totalTimeout, maxRedirects, userAgent, value, resolver, sslContext);
    }

    public FetchConfig withResolver(HostResolver value) {
        return new FetchConfig(
                maxBytes, connectTimeout, totalTimeout, maxRedirects, userAgent, allowList, value, sslContext);
    }

    public FetchConfig withSslContext(SSLContext value) {
        return new FetchConfig(
                maxBytes, connectTimeout, totalTimeout, maxRedirects, userAgent, allowList, resolver, value);
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
