package dev.yieldloop.demo.server;

// Over the house's 400-line aim: one incremental HTTP/1.1 request parser (request line, headers, then Content-Length
// or chunked body), kept in one file so its state machine and its limits (414, 431, smuggling shapes) read together;
// the fuzz and bad-input tests cover it as one unit.

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An incremental, strict HTTP/1.1 request parser for the slow-site server: bytes go in as they arrive, complete
 * requests (their bodies skipped, never buffered) or a rejection come out.
 *
 * <p>It follows RFC 9112 and rejects, rather than guesses at, anything ambiguous, the inputs request smuggling and
 * parser bugs are made of (after Netty's {@code HttpRequestDecoder} tests):
 *
 * <ul>
 *   <li>{@code 414} when the request line passes {@value #MAX_REQUEST_LINE_BYTES} bytes;
 *   <li>{@code 431} when the header section passes {@value #MAX_HEADER_BYTES} bytes or {@value #MAX_HEADERS} fields;
 *   <li>{@code 400} for control characters (NUL included) in the request line or a field, a bare LF, a version other
 *       than {@code HTTP/1.0}/{@code HTTP/1.1}, a field without a colon or with space before it, obsolete line folding,
 *       two {@code Content-Length} fields, {@code Content-Length} with {@code Transfer-Encoding}, a transfer coding other
 *       than {@code chunked}, a chunk size of more than {@value #MAX_CHUNK_SIZE_DIGITS} hex digits, a missing {@code
 *       Host} in HTTP/1.1, and more than {@value #MAX_LEADING_EMPTY_LINES} empty lines before a request.
 * </ul>
 *
 * <p>Memory is bounded: the parser holds at most one line, capped at the limits above; body bytes are counted and
 * dropped. After a rejection the parser stays rejected (the server closes the connection).
 *
 * <p>Threading: confined to the thread that feeds it (the loop thread, in the server).
 */
public final class HttpRequestParser {

    /** Longest request line accepted, in bytes (CRLF excluded); longer lines get 414. */
    public static final int MAX_REQUEST_LINE_BYTES = 8 * 1024;

    /** Largest header section accepted, in bytes (all field lines with their CRLFs); larger gets 431. */
    public static final int MAX_HEADER_BYTES = 16 * 1024;

    /** Most header fields accepted in one request; more gets 431. */
    public static final int MAX_HEADERS = 100;

    /** Most empty lines tolerated before a request line (RFC 9112 §2.2 asks to ignore "at least one"). */
    public static final int MAX_LEADING_EMPTY_LINES = 8;

    /** Most hex digits in a chunk size: 15 digits stay below {@code 2^60}, so the size never overflows a long. */
    public static final int MAX_CHUNK_SIZE_DIGITS = 15;

    /** The outcome of feeding bytes. */
    public sealed interface Result permits NeedMore, Request, Reject {}

    /** All bytes fed were consumed and no request is complete yet. */
    public record NeedMore() implements Result {}

    /**
     * One complete request; its body, if any, was consumed and dropped.
     *
     * @param method the method token, e.g. {@code GET}
     * @param target the request target as sent, e.g. {@code /page/7?encoding=chunked}
     * @param version {@code HTTP/1.1} or {@code HTTP/1.0}
     * @param keepAlive whether the connection may carry another request after the response
     */
    public record Request(String method, String target, String version, boolean keepAlive) implements Result {}

    /**
     * The request is malformed or too large; answer with {@code status} and close.
     *
     * @param status 400, 414 or 431
     * @param reason a short explanation for the response body
     */
    public record Reject(int status, String reason) implements Result {}

    private enum State {
        REQUEST_LINE,
        HEADERS,
        BODY,
        CHUNK_SIZE,
        CHUNK_DATA,
        CHUNK_DATA_END,
        TRAILERS,
        REJECTED
    }

    private static final NeedMore NEED_MORE = new NeedMore();

    private final byte[] line = new byte[MAX_HEADER_BYTES + 2];
    private int lineLength;
    private State state = State.REQUEST_LINE;
    private int leadingEmptyLines;
    private int headerBytes;
    private int headerCount;
    private String method;
    private String target;
    private String version;
    private boolean keepAlive;
    private boolean sawHost;
    private long contentLength;
    private boolean hasContentLength;
    private boolean chunked;
    private long bodyRemaining;
    private boolean inRequest;
    private Reject rejection;

    /** Creates a parser waiting for a request line. */
    public HttpRequestParser() {}

    /**
     * Whether a request has started (at least one byte of it arrived) but is not complete: the server's header deadline
     * runs while this is true.
     *
     * @return true between a request's first byte and its end
     */
    public boolean inRequest() {
        return inRequest;
    }

    /**
     * Whether a request's head (request line and header fields) has started but not ended: the server's header
     * deadline runs only while this is true, so a body, however slow, is timed by the idle timeout instead.
     *
     * @return true between a request's first byte and the blank line that ends its header section
     */
    public boolean inHead() {
        return inRequest && (state == State.REQUEST_LINE || state == State.HEADERS);
    }

    /**
     * Consumes bytes from {@code in} up to the end of the first complete request, or all of them.
     *
     * @param in bytes from position to limit; on return its position is past what was consumed (pipelined bytes of a
     *     next request stay unread)
     * @return a {@link Request} when one is complete, a {@link Reject} when the input is malformed (then and forever
     *     after), else {@link NeedMore}
     */
    public Result feed(ByteBuffer in) {
        Result result = consume(in);
        if (result instanceof Reject) {
            in.position(in.limit()); // a rejected connection's further bytes are dropped, never buffered
        }
        return result;
    }

    private Result consume(ByteBuffer in) {
        while (in.hasRemaining()) {
            if (state == State.REJECTED) {
                return rejection;
            }
            if (state == State.BODY || state == State.CHUNK_DATA) {
                int skip = (int) Math.min(in.remaining(), bodyRemaining);
                in.position(in.position() + skip);
                bodyRemaining -= skip;
                if (bodyRemaining == 0) {
                    if (state == State.BODY) {
                        return finish();
                    }
                    state = State.CHUNK_DATA_END;
                }
                continue;
            }
            byte b = in.get();
            if (state == State.REQUEST_LINE || state == State.HEADERS) {
                inRequest = true;
            }
            if (b != '\n') {
                if (lineLength >= lineCap()) {
                    return reject(lineTooLong());
                }
                line[lineLength++] = b;
                continue;
            }
            if (lineLength == 0 || line[lineLength - 1] != '\r') {
                return reject(new Reject(400, "bare LF: lines must end with CRLF"));
            }
            int length = lineLength - 1;
            lineLength = 0;
            Result r = onLine(length);
            if (r != null) {
                return r;
            }
        }
        return state == State.REJECTED ? rejection : NEED_MORE;
    }

    private int lineCap() {
        return switch (state) {
            case REQUEST_LINE -> MAX_REQUEST_LINE_BYTES + 1;
            case HEADERS, TRAILERS -> MAX_HEADER_BYTES - headerBytes + 1;
            default -> 64 + 1; // chunk-size lines and the CRLF after chunk data
        };
    }

    private Reject lineTooLong() {
        return switch (state) {
            case REQUEST_LINE -> new Reject(414, "request line longer than " + MAX_REQUEST_LINE_BYTES + " bytes");
            case HEADERS, TRAILERS -> new Reject(431, "header section larger than " + MAX_HEADER_BYTES + " bytes");
            default -> new Reject(400, "chunk size line too long");
        };
    }

    private Result onLine(int length) {
        switch (state) {
            case REQUEST_LINE -> {
                if (length == 0) {
                    inRequest = false;
                    if (++leadingEmptyLines > MAX_LEADING_EMPTY_LINES) {
                        return reject(new Reject(400, "too many empty lines before the request line"));
                    }
                    return null;
                }
                return requestLine(length);
            }
            case HEADERS -> {
                headerBytes += length + 2;
                if (length == 0) {
                    return endOfHeaders();
                }
                return headerLine(length, true);
            }
            case TRAILERS -> {
                headerBytes += length + 2;
                if (length == 0) {
                    return finish();
                }
                return headerLine(length, false);
            }
            case CHUNK_SIZE -> {
                return chunkSize(length);
            }
            case CHUNK_DATA_END -> {
                if (length != 0) {
                    return reject(new Reject(400, "chunk data longer than its size"));
                }
                state = State.CHUNK_SIZE;
                return null;
            }
            default -> throw new IllegalStateException("no lines in state " + state);
        }
    }

    private Result requestLine(int length) {
        for (int i = 0; i < length; i++) {
            if (isControl(line[i])) {
                return reject(new Reject(400, "control character in the request line"));
            }
        }
        String text = new String(line, 0, length, StandardCharsets.ISO_8859_1);
        int sp1 = text.indexOf(' ');
        int sp2 = sp1 < 0 ? -1 : text.indexOf(' ', sp1 + 1);
        if (sp1 <= 0 || sp2 < 0 || text.indexOf(' ', sp2 + 1) >= 0 || sp2 == sp1 + 1) {
            return reject(new Reject(400, "request line is not 'method SP target SP version'"));
        }
        method = text.substring(0, sp1);
        target = text.substring(sp1 + 1, sp2);
        version = text.substring(sp2 + 1);
        if (!isToken(method)) {
            return reject(new Reject(400, "method is not a token"));
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return reject(new Reject(400, "request target has a character outside visible ASCII"));
            }
        }
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            return reject(new Reject(400, "unsupported HTTP version"));
        }
        keepAlive = version.equals("HTTP/1.1");
        state = State.HEADERS;
        return null;
    }

    private Result headerLine(int length, boolean inHeaders) {
        if (++headerCount > MAX_HEADERS) {
            return reject(new Reject(431, "more than " + MAX_HEADERS + " header fields"));
        }
        if (line[0] == ' ' || line[0] == '\t') {
            return reject(new Reject(400, "obsolete line folding"));
        }
        int colon = -1;
        for (int i = 0; i < length; i++) {
            byte b = line[i];
            if (b == ':') {
                colon = i;
                break;
            }
            if (!isTchar(b)) {
                return reject(new Reject(400, "field name is not a token"));
            }
        }
        if (colon <= 0) {
            return reject(new Reject(400, "field line without a colon"));
        }
        for (int i = colon + 1; i < length; i++) {
            byte b = line[i];
            if (isControl(b) && b != '\t') {
                return reject(new Reject(400, "control character in a field value"));
            }
        }
        if (!inHeaders) {
            return null; // trailer fields are validated and dropped
        }
        String name = new String(line, 0, colon, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        String value = new String(line, colon + 1, length - colon - 1, StandardCharsets.ISO_8859_1).strip();
        switch (name) {
            case "host" -> sawHost = true;
            case "content-length" -> {
                if (hasContentLength) {
                    return reject(new Reject(400, "more than one Content-Length"));
                }
                if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    return reject(new Reject(400, "Content-Length is not a decimal number"));
                }
                hasContentLength = true;
                contentLength = Long.parseLong(value);
            }
            case "transfer-encoding" -> {
                if (chunked || !value.equalsIgnoreCase("chunked")) {
                    return reject(new Reject(400, "only a single 'chunked' transfer coding is accepted"));
                }
                chunked = true;
            }
            case "connection" -> {
                for (String option : value.split(",")) {
                    String o = option.strip().toLowerCase(Locale.ROOT);
                    if (o.equals("close")) {
                        keepAlive = false;
                    } else if (o.equals("keep-alive") && version.equals("HTTP/1.0")) {
                        keepAlive = true;
                    }
                }
            }
            default -> {
                // other fields do not change how the request is framed or answered
            }
        }
        return null;
    }

    private Result endOfHeaders() {
        if (chunked && hasContentLength) {
            return reject(new Reject(400, "both Content-Length and Transfer-Encoding"));
        }
        if (version.equals("HTTP/1.1") && !sawHost) {
            return reject(new Reject(400, "HTTP/1.1 request without Host"));
        }
        if (chunked) {
            state = State.CHUNK_SIZE;
            return null;
        }
        if (hasContentLength && contentLength > 0) {
            bodyRemaining = contentLength;
            state = State.BODY;
            return null;
        }
        return finish();
    }

    private Result chunkSize(int length) {
        int end = length;
        for (int i = 0; i < length; i++) {
            if (line[i] == ';') {
                end = i; // chunk extensions are ignored
                break;
            }
        }
        while (end > 0 && (line[end - 1] == ' ' || line[end - 1] == '\t')) {
            end--;
        }
        if (end == 0) {
            return reject(new Reject(400, "empty chunk size"));
        }
        if (end > MAX_CHUNK_SIZE_DIGITS) {
            return reject(new Reject(400, "chunk size has more than " + MAX_CHUNK_SIZE_DIGITS + " hex digits"));
        }
        long size = 0;
        for (int i = 0; i < end; i++) {
            int digit = Character.digit(line[i], 16);
            if (digit < 0) {
                return reject(new Reject(400, "chunk size is not hexadecimal"));
            }
            size = size * 16 + digit;
        }
        if (size == 0) {
            state = State.TRAILERS;
            return null;
        }
        bodyRemaining = size;
        state = State.CHUNK_DATA;
        return null;
    }

    private Result finish() {
        Request request = new Request(method, target, version, keepAlive);
        state = State.REQUEST_LINE;
        leadingEmptyLines = 0;
        headerBytes = 0;
        headerCount = 0;
        method = null;
        target = null;
        version = null;
        keepAlive = false;
        sawHost = false;
        contentLength = 0;
        hasContentLength = false;
        chunked = false;
        bodyRemaining = 0;
        inRequest = false;
        return request;
    }

    private Reject reject(Reject r) {
        state = State.REJECTED;
        rejection = r;
        return r;
    }

    private static boolean isControl(byte b) {
        return (b >= 0 && b < 0x20) || b == 0x7f;
    }

    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0x7f || !isTchar((byte) c)) {
                return false;
            }
        }
        return true;
    }

    /** RFC 9110 §5.6.2 tchar. */
    private static boolean isTchar(byte b) {
        if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')) {
            return true;
        }
        return "!#$%&'*+-.^_`|~".indexOf(b) >= 0;
    }
}
