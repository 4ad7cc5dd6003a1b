package dev.engram.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;

/** Picks free TCP ports on the loopback interface, for servers asked to run on port 0. */
final class FreePorts {

    /** 127.0.0.1 itself, even where {@code java.net.preferIPv6Addresses} would make "the loopback" ::1. */
    private static final InetAddress LOOPBACK = loopback();

    private FreePorts() {}

    /**
     * Returns a port that was free on 127.0.0.1 a moment ago. Another process may still take it before the
     * caller binds it; callers that picked a port this way retry with a new one when binding fails.
     */
    static int pick() {
        try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on the loopback interface", e);
        }
    }

    /** Returns a free port different from {@code taken}. */
    static int pickOtherThan(int taken) {
        int port = pick();
        while (port == taken) {
            port = pick();
        }
        return port;
    }

    /**
     * Fails with a clear message if {@code port} cannot be bound on 127.0.0.1 right now, instead of letting a
     * server fail half-way through its start.
     */
    static void requireFree(int port, String what) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(LOOPBACK, port), 1);
        } catch (IOException e) {
            throw new IllegalStateException(what + " " + port + " is already in use on 127.0.0.1", e);
        }
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Checks a configured port number: 0 (pick one) or 1..65535. */
    static int check(int port, String name) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(name + " must be 0 (pick a free port) or 1..65535, was " + port);
        }
        return port;
    }
}
