package dev.engram.writer.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Resolves a host name to the addresses a fetch may connect to. The fetcher calls it once per request hop, checks every
 * address it returns, and connects only to those addresses.
 */
@FunctionalInterface
public interface HostResolver {

    /**
     * All addresses of the host, in preference order; never empty.
     *
     * @throws UnknownHostException if the name does not resolve
     */
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** The JVM's resolver (the operating system's, with the JVM's address cache). */
    static HostResolver system() {
        return host -> List.of(InetAddress.getAllByName(host));
    }
}
