package dev.engram.writer.fetch;

import dev.engram.core.net.Cidr;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Hosts and networks an operator explicitly permits although they are not public (an intranet wiki, a test server).
 *
 * <p>A permitted host name ({@code wiki.corp.example}, or {@code *.corp.example} for its subdomains) lets every address
 * it resolves to through; a permitted network ({@code 10.20.0.0/16}, or a single address) lets those addresses through
 * whatever name led to them. Everything else must be a public unicast address.
 *
 * @param hosts lower-case host names; an entry starting with {@code *.} matches any subdomain (not the bare domain)
 * @param networks permitted networks
 */
public record AllowList(Set<String> hosts, List<Cidr> networks) {

    public AllowList {
        hosts = Set.copyOf(Objects.requireNonNull(hosts, "hosts"));
        networks = List.copyOf(Objects.requireNonNull(networks, "networks"));
        for (String host : hosts) {
            if (!host.equals(host.toLowerCase(Locale.ROOT)) || host.isBlank()) {
                throw new IllegalArgumentException("allow-list host names must be lower-case and non-blank: " + host);
            }
        }
    }

    /** Nothing beyond public addresses. */
    public static AllowList none() {
        return new AllowList(Set.of(), List.of());
    }

    /**
     * Builds an allow-list from configuration entries: each is an IP address, a CIDR network, a host name, or a
     * {@code *.domain} wildcard.
     *
     * @throws IllegalArgumentException if an entry is blank or a malformed network
     */
    public static AllowList of(Collection<String> entries) {
        Set<String> hosts = new LinkedHashSet<>();
        List<Cidr> networks = new ArrayList<>();
        for (String raw : entries) {
            String entry = Objects.requireNonNull(raw, "entry").trim();
            if (entry.isEmpty()) {
                throw new IllegalArgumentException("blank allow-list entry");
            }
            if (entry.contains("/") || Cidr.parseLiteral(entry).isPresent()) {
                networks.add(Cidr.parse(entry));
            } else {
                hosts.add(normalizeHost(entry));
            }
        }
        return new AllowList(hosts, networks);
    }

    /** {@link #of(Collection)} for a few entries. */
    public static AllowList of(String... entries) {
        return of(List.of(entries));
    }

    /** Whether the host name (as written in the URL) is permitted, and with it all of its addresses. */
    public boolean allowsHost(String host) {
        String name = normalizeHost(host);
        for (String entry : hosts) {
            if (entry.startsWith("*.") ? name.endsWith(entry.substring(1)) : name.equals(entry)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the address lies in a permitted network. */
    public boolean allowsAddress(InetAddress address) {
        for (Cidr network : networks) {
            if (network.contains(address)) {
                return true;
            }
        }
        return false;
    }

    static String normalizeHost(String host) {
        String name = host.trim().toLowerCase(Locale.ROOT);
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
