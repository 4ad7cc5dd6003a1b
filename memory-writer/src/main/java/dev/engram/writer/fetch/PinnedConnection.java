package dev.engram.writer.fetch;

import dev.engram.core.net.Cidr;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A TCP (and, for https, TLS) connection to one already-checked address.
 *
 * <p>This is what closes the DNS-rebinding window: the socket is connected to the {@link InetAddress} the fetcher
 * checked, never to a name, and without a proxy. For TLS the host name from the URL is still used for SNI and for
 * certificate verification ({@code HTTPS} endpoint identification), so pinning the address does not weaken TLS.
 *
 * <p>Every read is bounded by the fetch's deadline: the socket timeout is reset to the time left before each read, so
 * a server trickling bytes cannot stretch the fetch beyond its total time limit.
 */
final class PinnedConnection implements Closeable {

    private final Socket socket;
    private final Deadline deadline;
    private final InputStream input;

    private PinnedConnection(Socket socket, Deadline deadline) throws IOException {
        this.socket = socket;
        this.deadline = deadline;
        this.input = new BufferedInputStream(new DeadlineInputStream(socket.getInputStream()), 16 * 1024);
    }

    /**
     * Connects to {@code address} for the target, with TLS if it is https.
     *
     * @throws IOException on connection or handshake failure (a {@link java.net.SocketTimeoutException} when a time
     *     limit ran out)
     */
    static PinnedConnection open(Target target, InetAddress address, FetchConfig config, Deadline deadline)
            throws IOException {
        Socket raw = new Socket(Proxy.NO_PROXY);
        try {
            long connectMillis = Math.min(config.connectTimeout().toMillis(), deadline.remainingMillis());
            if (connectMillis <= 0) {
                throw new SocketTimeoutException("no time left to connect");
            }
            raw.connect(new InetSocketAddress(address, target.port()), (int) connectMillis);
            Socket socket = raw;
            if (target.https()) {
                SSLSocket tls = (SSLSocket)
                        config.sslContext().getSocketFactory().createSocket(raw, target.host(), target.port(), true);
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                if (Cidr.parseLiteral(target.host()).isEmpty()) {
                    parameters.setServerNames(List.of(new SNIHostName(target.host())));
                }
                tls.setSSLParameters(parameters);
                tls.setSoTimeout(timeoutMillis(deadline));
                tls.startHandshake();
                socket = tls;
            }
            return new PinnedConnection(socket, deadline);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    InputStream input() {
        return input;
    }

    OutputStream output() throws IOException {
        return socket.getOutputStream();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static int timeoutMillis(Deadline deadline) throws SocketTimeoutException {
        long remaining = deadline.remainingMillis();
        if (remaining <= 0) {
            throw new SocketTimeoutException("the fetch deadline passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, remaining);
    }

    /** Re-arms the socket timeout with the time left before every read. */
    private final class DeadlineInputStream extends InputStream {

        private final InputStream delegate;

        DeadlineInputStream(InputStream delegate) {
            this.delegate = delegate;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            socket.setSoTimeout(timeoutMillis(deadline));
            return delegate.read(buffer, offset, length);
        }
    }
}
