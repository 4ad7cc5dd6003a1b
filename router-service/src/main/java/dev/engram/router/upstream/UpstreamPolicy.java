package dev.engram.router.upstream;

import dev.engram.core.net.SpecialAddresses;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides whether the router may forward to a provider URL, so the router is not an open proxy: the host must be a
 * well-known provider or configured, and every address it resolves to must be public unless the host is configured
 * as a private one. Resolution blocks: call from a worker thread.
 */
public final class UpstreamPolicy {

    /** Providers every installation may use without configuration. */
    public static final Set<String> WELL_KNOWN_HOSTS = Set.of(
            "api.openai.com",
            "api.anthropic.com",
            "api.groq.com",
            "openrouter.ai",
            "generativelanguage.googleapis.com",
            "api.deepinfra.com",
            "api.mistral.ai",
            "api.together.xyz",
            "api.fireworks.ai",
            "api.x.ai",
            "api.deepseek.com",
            "api.cerebras.ai",
            "api.perplexity.ai");

    /** Resolves a host name to its addresses; the JDK's resolver in production, a table in tests. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final Set<String> allowedHosts;
    private final List<String> allowedSuffixes;
    private final Set<String> privateHosts;
    private final Resolver resolver;

    /**
     * @param allowedHosts configured hosts besides the well-known ones; {@code *.example.com} allows subdomains
     * @param privateHosts hosts that may resolve to non-public addresses
     */
    public UpstreamPolicy(List<String> allowedHosts, List<String> privateHosts, Resolver resolver) {
        this.allowedHosts = allowedHosts.stream()
                .filter(host -> !host.startsWith("*."))
                .map(UpstreamPolicy::normalise)
                .collect(Collectors.toUnmodifiableSet());
        this.allowedSuffixes = allowedHosts.stream()
                .filter(host -> host.startsWith("*."))
                .map(host -> normalise(host.substring(1)))
                .toList();
        this.privateHosts =
                privateHosts.stream().map(UpstreamPolicy::normalise).collect(Collectors.toUnmodifiableSet());
        this.resolver = resolver;
    }

    /**
     * Checks a provider base URL and pins it to a checked address.
     *
     * @param baseUrl the provider's base URL, e.g. {@code https://api.openai.com/v1}
     * @param pathAndQuery appended to the base URL's path, e.g. {@code /chat/completions?x=1}
     * @throws UpstreamRefusedException if the router must not forward there
     */
    public UpstreamTarget check(URI baseUrl, String pathAndQuery) {
        String scheme = baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new UpstreamRefusedException("the provider URL must start with https:// or http://", true);
        }
        if (baseUrl.getRawUserInfo() != null) {
            throw new UpstreamRefusedException("the provider URL must not contain credentials", true);
        }
        String host = baseUrl.getHost();
        if (host == null || host.isBlank()) {
            throw new UpstreamRefusedException("the provider URL has no host", true);
        }
        host = normalise(host);
        if (!allowed(host)) {
            throw new UpstreamRefusedException(
                    "the provider host " + host + " is not on this router's allow-list (router.upstream.allowed-hosts)",
                    false);
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(unbracketed(host));
        } catch (UnknownHostException e) {
            throw new UpstreamRefusedException("the provider host " + host + " does not resolve", false);
        }
        if (addresses.length == 0) {
            throw new UpstreamRefusedException("the provider host " + host + " does not resolve", false);
        }
        if (!privateHosts.contains(host)) {
            for (InetAddress address : addresses) {
                Optional<String> reason = SpecialAddresses.forbiddenReason(address);
                if (reason.isPresent()) {
                    throw new UpstreamRefusedException(
                            "the provider host " + host + " resolves to " + reason.get()
                                    + "; only hosts in router.upstream.private-hosts may",
                            false);
                }
            }
        }
        boolean ssl = scheme.equals("https");
        int port = baseUrl.getPort() > 0 ? baseUrl.getPort() : ssl ? 443 : 80;
        String basePath = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath();
        if (basePath.endsWith("/")) {
            basePath = basePath.substring(0, basePath.length() - 1);
        }
        return new UpstreamTarget(ssl, unbracketed(host), port, basePath + pathAndQuery, addresses[0]);
    }

    /**
     * Reads the provider base URL as it rides in a path: {@code https://host/v1}, the same with the double slash
     * collapsed by an intermediary ({@code https:/host/v1}), percent-encoded, or without a scheme (https then).
     *
     * @throws UpstreamRefusedException if it is not a URL
     */
    public static URI parseBaseUrl(String text) {
        String url = text;
        if (url.regionMatches(true, 0, "http%3A", 0, 7) || url.regionMatches(true, 0, "https%3A", 0, 8)) {
            url = java.net.URLDecoder.decode(url, java.nio.charset.StandardCharsets.UTF_8);
        }
        int colon = url.indexOf(':');
        int slash = url.indexOf('/');
        if (colon < 0 || (slash >= 0 && slash < colon)) {
            url = "https://" + url;
        } else if (url.startsWith("/", colon + 1) && !url.startsWith("//", colon + 1)) {
            url = url.substring(0, colon + 1) + "/" + url.substring(colon + 1);
        }
        try {
            URI uri = new URI(url);
            if (uri.getHost() == null) {
                throw new UpstreamRefusedException("the provider URL has no host: " + abbreviated(text), true);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new UpstreamRefusedException("the provider URL is not a URL: " + abbreviated(text), true);
        }
    }

    private boolean allowed(String host) {
        return WELL_KNOWN_HOSTS.contains(host)
                || allowedHosts.contains(host)
                || allowedSuffixes.stream().anyMatch(host::endsWith);
    }

    private static String normalise(String host) {
        String lower = host.trim().toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    private static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static String abbreviated(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "...";
    }
}
