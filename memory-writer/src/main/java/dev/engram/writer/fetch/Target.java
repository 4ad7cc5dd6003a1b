package dev.engram.writer.fetch;

import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * One request hop: a validated absolute http(s) URL split into what the connection and the request need.
 *
 * @param uri the URL, ASCII-only, without fragment
 * @param https whether TLS is used
 * @param host the host name or address literal, lower case, without IPv6 brackets
 * @param port the port, defaulted from the scheme
 * @param hostHeader the {@code Host} header value (with the port when it is not the scheme's default)
 * @param requestTarget the path and query sent in the request line
 */
record Target(URI uri, boolean https, String host, int port, String hostHeader, String requestTarget) {

    /**
     * Validates a URL for fetching.
     *
     * @throws FetchException {@link FetchException.Kind#INVALID_URL} if it is not an absolute http(s) URL with a host,
     *     or carries credentials
     */
    static Target of(URI candidate) {
        String scheme =
                candidate.getScheme() == null ? "" : candidate.getScheme().toLowerCase(Locale.ROOT);
        boolean https = scheme.equals("https");
        if (!https && !scheme.equals("http")) {
            throw invalid("only http and https URLs are fetched");
        }
        String authority = candidate.getRawAuthority();
        if (candidate.getRawUserInfo() != null || (authority != null && authority.contains("@"))) {
            throw invalid("URLs with credentials are not fetched");
        }
        String host = candidate.getHost();
        int port = candidate.getPort();
        if (host == null) { // java.net.URI leaves internationalised host names undefined
            String[] hostAndPort = idnHostAndPort(authority);
            host = hostAndPort[0];
            port = hostAndPort[1] == null ? -1 : parsePort(hostAndPort[1]);
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty()) {
            throw invalid("the URL has no host");
        }
        int defaultPort = https ? 443 : 80;
        port = port == -1 ? defaultPort : port;
        if (port < 1 || port > 65535) {
            throw invalid("the port is out of range");
        }
        String hostForHeader = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        String hostHeader = port == defaultPort ? hostForHeader : hostForHeader + ":" + port;
        URI ascii;
        try {
            ascii = new URI(candidate.toASCIIString());
        } catch (URISyntaxException e) {
            throw invalid("the URL is malformed");
        }
        String path = ascii.getRawPath() == null || ascii.getRawPath().isEmpty() ? "/" : ascii.getRawPath();
        String requestTarget = ascii.getRawQuery() == null ? path : path + "?" + ascii.getRawQuery();
        URI uri;
        try {
            uri = new URI(scheme + "://" + hostHeader + requestTarget);
        } catch (URISyntaxException e) {
            throw invalid("the URL is malformed");
        }
        return new Target(uri, https, host, port, hostHeader, requestTarget);
    }

    /** Parses a URL string for fetching; see {@link #of(URI)}. */
    static Target of(String url) {
        try {
            return of(new URI(url.trim()));
        } catch (URISyntaxException e) {
            throw invalid("the URL is malformed");
        }
    }

    /** Splits a registry-based authority into its host, converted to ASCII (IDNA), and its port text or null. */
    private static String[] idnHostAndPort(String authority) {
        if (authority == null || authority.isEmpty()) {
            throw invalid("the URL has no host");
        }
        String name = authority;
        String port = null;
        int colon = name.lastIndexOf(':');
        if (colon >= 0) {
            port = name.substring(colon + 1);
            name = name.substring(0, colon);
        }
        try {
            return new String[] {IDN.toASCII(name, IDN.USE_STD3_ASCII_RULES), port};
        } catch (IllegalArgumentException e) {
            throw invalid("the URL's host name is not valid");
        }
    }

    private static int parsePort(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw invalid("the port is not a number");
        }
    }

    private static FetchException invalid(String reason) {
        return new FetchException(FetchException.Kind.INVALID_URL, "cannot fetch: " + reason);
    }
}
