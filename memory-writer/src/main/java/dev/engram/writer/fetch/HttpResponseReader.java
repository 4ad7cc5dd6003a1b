package dev.engram.writer.fetch;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reads one HTTP/1.1 response from a stream: the status line and headers, then (on request) the body with its framing
 * (Content-Length, chunked, or until the connection closes) and gzip decoding, within a byte limit.
 */
final class HttpResponseReader {

    private static final int MAX_LINE = 8 * 1024;
    private static final int MAX_HEAD = 64 * 1024;
    private static final int MAX_HEADERS = 200;

    /** The response does not follow HTTP/1.1 or uses something unsupported. */
    static final class ProtocolViolation extends IOException {
        ProtocolViolation(String message) {
            super(message);
        }
    }

    /** The body grew past the limit. */
    static final class BodyTooLarge extends IOException {
        BodyTooLarge() {
            super("body too large");
        }
    }

    /** Status line and headers; header names lower-cased. */
    record Head(int status, Map<String, List<String>> headers) {

        /** The first value of a header, or null. */
        String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    private HttpResponseReader() {}

    /** Reads the head of the final response, skipping interim (1xx) responses. */
    static Head readHead(InputStream in) throws IOException {
        while (true) {
            int[] budget = {MAX_HEAD};
            String statusLine = readLine(in, budget);
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("\\d{3}")) {
                throw new ProtocolViolation("the response is not HTTP/1.x");
            }
            int status = Integer.parseInt(parts[1]);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            String lastName = null;
            int count = 0;
            for (String line = readLine(in, budget); !line.isEmpty(); line = readLine(in, budget)) {
                if (++count > MAX_HEADERS) {
                    throw new ProtocolViolation("the response has too many headers");
                }
                if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && lastName != null) {
                    List<String> values = headers.get(lastName); // obsolete line folding
                    values.set(values.size() - 1, values.get(values.size() - 1) + " " + line.trim());
                    continue;
                }
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new ProtocolViolation("the response has a malformed header");
                }
                lastName = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                headers.computeIfAbsent(lastName, k -> new ArrayList<>())
                        .add(line.substring(colon + 1).trim());
            }
            if (status >= 200 || status == 101) {
                return new Head(status, headers);
            }
        }
    }

    /**
     * Reads the body of a response with the given head, decoded, at most {@code maxBytes} both as sent and as
     * decoded.
     */
    static byte[] readBody(Head head, InputStream in, long maxBytes) throws IOException {
        if (head.status() == 204 || head.status() == 304) {
            return new byte[0];
        }
        InputStream framed = limited(framing(head, in, maxBytes), maxBytes);
        InputStream decoded = decoding(head, framed);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        long total = 0;
        for (int n = decoded.read(buffer); n >= 0; n = decoded.read(buffer)) {
            total += n;
            if (total > maxBytes) {
                throw new BodyTooLarge();
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static InputStream framing(Head head, InputStream in, long maxBytes) throws IOException {
        List<String> transferEncodings = head.headers().getOrDefault("transfer-encoding", List.of());
        if (!transferEncodings.isEmpty()) {
            String last = transferEncodings.get(transferEncodings.size() - 1);
            String[] codings = last.split(",");
            if (codings[codings.length - 1].trim().equalsIgnoreCase("chunked")) {
                if (transferEncodings.size() > 1 || codings.length > 1) {
                    throw new ProtocolViolation(
                            "unsupported transfer encoding " + String.join(", ", transferEncodings));
                }
                return new ChunkedInputStream(in);
            }
            return in; // delimited by the connection closing
        }
        List<String> lengths = head.headers().getOrDefault("content-length", List.of());
        if (lengths.isEmpty()) {
            return in;
        }
        String first = lengths.get(0);
        for (String other : lengths) {
            if (!other.equals(first)) {
                throw new ProtocolViolation("the response has conflicting Content-Length headers");
            }
        }
        if (!first.matches("\\d{1,18}")) {
            throw new ProtocolViolation("the response has an invalid Content-Length");
        }
        long length = Long.parseLong(first);
        if (length > maxBytes) {
            throw new BodyTooLarge();
        }
        return new FixedLengthInputStream(in, length);
    }

    private static InputStream decoding(Head head, InputStream framed) throws IOException {
        String encoding = head.header("content-encoding");
        if (encoding == null || encoding.isBlank() || encoding.equalsIgnoreCase("identity")) {
            return framed;
        }
        if (encoding.equalsIgnoreCase("gzip") || encoding.equalsIgnoreCase("x-gzip")) {
            return new GZIPInputStream(framed, 16 * 1024);
        }
        throw new ProtocolViolation("unsupported content encoding '" + encoding + "'");
    }

    private static InputStream limited(InputStream in, long maxBytes) {
        return new InputStream() {
            private long count;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = in.read(buffer, offset, length);
                if (n > 0) {
                    count += n;
                    if (count > maxBytes) {
                        throw new BodyTooLarge();
                    }
                }
                return n;
            }
        };
    }

    /** A CRLF- (or LF-) terminated line in ISO-8859-1, without the terminator. */
    static String readLine(InputStream in, int[] headBudget) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("the connection closed in the middle of the response head");
            }
            if (--headBudget[0] < 0) {
                throw new ProtocolViolation("the response head is too large");
            }
            if (c == '\n') {
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') {
                    line.setLength(end - 1);
                }
                return line.toString();
            }
            if (line.length() >= MAX_LINE) {
                throw new ProtocolViolation("a response line is too long");
            }
            line.append((char) c);
        }
    }

    /** Exactly {@code length} bytes; the connection closing earlier is an error. */
    private static final class FixedLengthInputStream extends InputStream {
        private final InputStream in;
        private long remaining;

        FixedLengthInputStream(InputStream in, long length) {
            this.in = in;
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining == 0) {
                return -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, remaining));
            if (n < 0) {
                throw new EOFException("the connection closed before the body was complete");
            }
            remaining -= n;
            return n;
        }
    }

    /** Decodes the chunked transfer coding, discarding chunk extensions and trailers. */
    private static final class ChunkedInputStream extends InputStream {
        private final InputStream in;
        private long chunkRemaining;
        private boolean done;

        ChunkedInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (done) {
                return -1;
            }
            if (chunkRemaining == 0) {
                chunkRemaining = nextChunkSize();
                if (chunkRemaining == 0) {
                    int[] budget = {MAX_HEAD};
                    while (!readLine(in, budget).isEmpty()) {
                        // trailers are not used
                    }
                    done = true;
                    return -1;
                }
            }
            int n = in.read(buffer, offset, (int) Math.min(length, chunkRemaining));
            if (n < 0) {
                throw new EOFException("the connection closed inside a chunk");
            }
            chunkRemaining -= n;
            if (chunkRemaining == 0) {
                int[] budget = {2};
                if (!readLine(in, budget).isEmpty()) {
                    throw new ProtocolViolation("a chunk is longer than its declared size");
                }
            }
            return n;
        }

        private long nextChunkSize() throws IOException {
            int[] budget = {MAX_LINE};
            String line = readLine(in, budget);
            int semicolon = line.indexOf(';');
            String size = (semicolon >= 0 ? line.substring(0, semicolon) : line).trim();
            if (!size.matches("[0-9A-Fa-f]{1,15}")) {
                throw new ProtocolViolation("the response has an invalid chunk size");
            }
            return Long.parseLong(size, 16);
        }
    }
}
