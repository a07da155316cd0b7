package dev.yieldloop.demo.io;

import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.zip.CRC32;

/**
 * An incremental HTTP/1.1 response parser shared by the demo's blocking client and its event-loop client: bytes go in
 * as they arrive, the body is digested (CRC-32) and counted, never kept. It handles the three ways a body can end:
 * {@code Content-Length}, {@code Transfer-Encoding: chunked}, and the server closing the connection.
 *
 * <p>Threading: confined to the thread that feeds it.
 */
public final class HttpResponseParser {

    /** Largest status line plus header section accepted, in bytes. */
    public static final int MAX_HEAD_BYTES = 64 * 1024;

    private enum State {
        STATUS_LINE,
        HEADERS,
        BODY_LENGTH,
        CHUNK_SIZE,
        CHUNK_DATA,
        CHUNK_DATA_END,
        TRAILERS,
        BODY_UNTIL_CLOSE,
        DONE
    }

    private final StringBuilder line = new StringBuilder();
    private final CRC32 crc = new CRC32();
    private State state = State.STATUS_LINE;
    private int headBytes;
    private int status;
    private boolean http10;
    private boolean connectionClose;
    private long contentLength = -1;
    private boolean chunked;
    private long remaining;
    private long bodyBytes;

    /** Creates a parser waiting for a status line. */
    public HttpResponseParser() {}

    /**
     * Consumes bytes from {@code in} up to the end of the response, or all of them.
     *
     * @param in bytes from position to limit; its position advances past what was consumed
     * @return true once the response is complete
     * @throws ProtocolException on a malformed response or a head larger than {@value #MAX_HEAD_BYTES} bytes
     */
    public boolean feed(ByteBuffer in) throws ProtocolException {
        while (in.hasRemaining() && state != State.DONE) {
            switch (state) {
                case BODY_LENGTH, CHUNK_DATA, BODY_UNTIL_CLOSE -> body(in);
                default -> {
                    byte b = in.get();
                    if (++headBytes > MAX_HEAD_BYTES) {
                        throw new ProtocolException("response head or chunk framing larger than " + MAX_HEAD_BYTES);
                    }
                    if (b != '\n') {
                        line.append((char) (b & 0xff));
                        continue;
                    }
                    int end = line.length() > 0 && line.charAt(line.length() - 1) == '\r'
                            ? line.length() - 1
                            : line.length();
                    String text = line.substring(0, end);
                    line.setLength(0);
                    onLine(text);
                }
            }
        }
        return state == State.DONE;
    }

    private void body(ByteBuffer in) {
        int n = state == State.BODY_UNTIL_CLOSE ? in.remaining() : (int) Math.min(in.remaining(), remaining);
        ByteBuffer slice = in.slice();
        slice.limit(n);
        crc.update(slice);
        in.position(in.position() + n);
        bodyBytes += n;
        if (state == State.BODY_UNTIL_CLOSE) {
            return;
        }
        remaining -= n;
        if (remaining == 0) {
            state = state == State.BODY_LENGTH ? State.DONE : State.CHUNK_DATA_END;
        }
    }

    private void onLine(String text) throws ProtocolException {
        switch (state) {
            case STATUS_LINE -> statusLine(text);
            case HEADERS -> {
                if (text.isEmpty()) {
                    endOfHead();
                } else {
                    header(text);
                }
            }
            case CHUNK_SIZE -> {
                int semi = text.indexOf(';');
                String hex = (semi < 0 ? text : text.substring(0, semi)).strip();
                if (hex.isEmpty() || hex.length() > 15) {
                    throw new ProtocolException("bad chunk size '" + text + "'");
                }
                try {
                    remaining = Long.parseLong(hex, 16);
                } catch (NumberFormatException e) {
                    throw new ProtocolException("bad chunk size '" + text + "'");
                }
                state = remaining == 0 ? State.TRAILERS : State.CHUNK_DATA;
            }
            case CHUNK_DATA_END -> {
                if (!text.isEmpty()) {
                    throw new ProtocolException("chunk data longer than its size");
                }
                state = State.CHUNK_SIZE;
            }
            case TRAILERS -> {
                if (text.isEmpty()) {
                    state = State.DONE;
                }
            }
            default -> throw new IllegalStateException("no lines in state " + state);
        }
    }

    private void statusLine(String text) throws ProtocolException {
        if (text.isEmpty()) {
            return; // tolerate a stray empty line before the status line
        }
        String[] parts = text.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || parts[1].length() != 3) {
            throw new ProtocolException("not an HTTP/1.x status line: '" + text + "'");
        }
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new ProtocolException("bad status code in '" + text + "'");
        }
        http10 = parts[0].equals("HTTP/1.0");
        state = State.HEADERS;
    }

    private void header(String text) throws ProtocolException {
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new ProtocolException("header line without a colon: '" + text + "'");
        }
        String name = text.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        String value = text.substring(colon + 1).strip();
        switch (name) {
            case "content-length" -> {
                try {
                    long length = Long.parseLong(value);
                    if (length < 0 || (contentLength >= 0 && contentLength != length)) {
                        throw new ProtocolException("bad Content-Length '" + value + "'");
                    }
                    contentLength = length;
                } catch (NumberFormatException e) {
                    throw new ProtocolException("bad Content-Length '" + value + "'");
                }
            }
            case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
            case "connection" ->
                connectionClose |= value.toLowerCase(Locale.ROOT).contains("close");
            default -> {
                // not needed to frame the body
            }
        }
    }

    private void endOfHead() {
        if (status / 100 == 1 || status == 204 || status == 304) {
            if (status / 100 == 1) {
                state = State.STATUS_LINE; // an interim response: the real one follows
                return;
            }
            state = State.DONE;
        } else if (chunked) {
            state = State.CHUNK_SIZE;
        } else if (contentLength >= 0) {
            remaining = contentLength;
            state = contentLength == 0 ? State.DONE : State.BODY_LENGTH;
        } else {
            state = State.BODY_UNTIL_CLOSE;
        }
    }

    /**
     * Tells the parser the connection reached end of stream.
     *
     * @return true if that completed the response (a close-delimited body)
     * @throws IOException ({@link EOFException}) if the response was cut short
     */
    public boolean endOfStream() throws IOException {
        if (state == State.BODY_UNTIL_CLOSE) {
            state = State.DONE;
            return true;
        }
        if (state == State.DONE) {
            return true;
        }
        throw new EOFException("connection closed mid-response (" + describe() + ")");
    }

    private String describe() {
        return switch (state) {
            case STATUS_LINE -> "before the status line";
            case HEADERS -> "in the headers";
            case BODY_LENGTH -> "after " + bodyBytes + " of " + contentLength + " body bytes";
            default -> "in a chunked body after " + bodyBytes + " bytes";
        };
    }

    /**
     * Whether the response is complete.
     *
     * @return true once complete
     */
    public boolean isDone() {
        return state == State.DONE;
    }

    /**
     * Whether any byte of a response arrived: a failure before that on a reused keep-alive connection is safe to retry.
     *
     * @return true after the first byte
     */
    public boolean started() {
        return headBytes > 0 || bodyBytes > 0;
    }

    /**
     * The complete response's summary.
     *
     * @return status, body size and CRC-32
     * @throws IllegalStateException if the response is not complete
     */
    public HttpResult result() {
        if (state != State.DONE) {
            throw new IllegalStateException("response not complete");
        }
        return new HttpResult(status, bodyBytes, crc.getValue());
    }

    /**
     * Whether the connection can carry another request after this response.
     *
     * @return false for HTTP/1.0, {@code Connection: close} or a close-delimited body
     */
    public boolean reusable() {
        return !http10 && !connectionClose && (chunked || contentLength >= 0 || status == 204 || status == 304);
    }
}
