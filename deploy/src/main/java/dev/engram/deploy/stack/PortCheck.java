package dev.engram.deploy.stack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Checks before anything starts that every port the stack needs is free, so it fails fast and clearly. */
public final class PortCheck {

    private PortCheck() {}

    /**
     * @param ports what needs each port, by port
     * @return one line per port already in use; empty when all are free
     */
    public static List<String> taken(Map<Integer, String> ports) {
        List<String> problems = new ArrayList<>();
        ports.forEach((port, user) -> {
            if (!isFree(port)) {
                problems.add("port " + port + " (" + user + ") is already in use");
            }
        });
        return problems;
    }

    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
