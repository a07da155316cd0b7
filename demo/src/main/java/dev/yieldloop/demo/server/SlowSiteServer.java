package dev.yieldloop.demo.server;

// Over the house's 400-line aim: the listener, its options and deadlines, the body cache and the stop-on-signal
// summary still share this file; the per-connection protocol already lives in SlowSiteSession. Moving options and the
// body cache out is the next split.

import dev.yieldloop.EventLoop;
import dev.yieldloop.Promise;
import dev.yieldloop.Task;
import dev.yieldloop.Timer;
import dev.yieldloop.net.TcpConnection;
import dev.yieldloop.net.TcpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The slow-site HTTP/1.1 server the demo downloads from: every request is answered after a fixed delay with a body of a
 * fixed size, so the client side spends its time waiting, as it does on the real web. It is Yieldloop's first small
 * server: one {@link EventLoop} thread, one task per connection (a {@link SlowSiteSession}), keep-alive, strict parsing
 * by {@link HttpRequestParser}, a header deadline against slow senders.
 *
 * <p>The body of {@code /any/path} is {@link #body(String, int)}: deterministic per path, so a client can check what
 * it got. The query parameter {@code encoding} picks the framing: {@code length} (default, {@code Content-Length}),
 * {@code chunked} ({@code Transfer-Encoding: chunked}, 4 KiB chunks) or {@code close} (body delimited by closing the
 * connection).
 *
 * <p>Threading: loop thread only, except {@link #body(String, int)}.
 */
public final class SlowSiteServer implements AutoCloseable {

    /**
     * How the server answers.
     *
     * @param delayMillis how long each response waits after its request arrived, in milliseconds (≥ 0)
     * @param bodyBytes the size of each response body, in bytes (≥ 0)
     * @param headerTimeout the deadline for a request's head (request line and header fields) to arrive in full once
     *     its first byte came (slowloris guard); a body is not under it
     * @param idleTimeout the longest wait for the next byte from the client, between requests and inside a body, so a
     *     slow upload that keeps sending is never cut
     * @param writeTimeout the longest time queued response bytes may make no progress (a client that pipelines
     *     requests and never reads) before the connection is aborted
     */
    public record Options(
            long delayMillis, int bodyBytes, Duration headerTimeout, Duration idleTimeout, Duration writeTimeout) {

        /**
         * Validates the options.
         *
         * @throws IllegalArgumentException on a negative delay or size, or a non-positive timeout
         * @param delayMillis see the record component
         * @param bodyBytes see the record component
         * @param headerTimeout see the record component
         * @param idleTimeout see the record component
         * @param writeTimeout see the record component
         */
        public Options {
            if (delayMillis < 0 || bodyBytes < 0) {
                throw new IllegalArgumentException("delay and body size must be >= 0");
            }
            if (headerTimeout.isNegative()
                    || headerTimeout.isZero()
                    || idleTimeout.isNegative()
                    || idleTimeout.isZero()
                    || writeTimeout.isNegative()
                    || writeTimeout.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
        }

        /**
         * The article's site: 100 ms delay, 10 KiB bodies, 10 s header deadline, 60 s idle timeout, 30 s write
         * timeout.
         *
         * @return the defaults
         */
        public static Options defaults() {
            return new Options(100, 10 * 1024, Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(30));
        }

        /**
         * A copy with another delay and body size.
         *
         * @param newDelayMillis milliseconds
         * @param newBodyBytes bytes
         * @return the copy
         */
        public Options withDelayAndBody(long newDelayMillis, int newBodyBytes) {
            return new Options(newDelayMillis, newBodyBytes, headerTimeout, idleTimeout, writeTimeout);
        }

        /**
         * A copy with another header deadline.
         *
         * @param timeout the new deadline
         * @return the copy
         */
        public Options withHeaderTimeout(Duration timeout) {
            return new Options(delayMillis, bodyBytes, timeout, idleTimeout, writeTimeout);
        }

        /**
         * A copy with another idle timeout.
         *
         * @param timeout the new timeout
         * @return the copy
         */
        public Options withIdleTimeout(Duration timeout) {
            return new Options(delayMillis, bodyBytes, headerTimeout, timeout, writeTimeout);
        }

        /**
         * A copy with another write timeout.
         *
         * @param timeout the new timeout
         * @return the copy
         */
        public Options withWriteTimeout(Duration timeout) {
            return new Options(delayMillis, bodyBytes, headerTimeout, idleTimeout, timeout);
        }
    }

    /** Backlog asked of the OS: room for the demo's 2,000 simultaneous connects (capped by {@code somaxconn}). */
    public static final int BACKLOG = 4096;

    private final EventLoop loop;
    private final Options options;
    private final TcpServer listener;
    private final Map<Task<Void>, SlowSiteSession> sessions = new HashMap<>();
    private boolean draining;

    /** Bodies of the most recent paths: a client repeating a path (pipelining, load tools) costs a copy, not a draw. */
    private final Map<String, byte[]> bodies = new java.util.LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
            return size() > 64;
        }
    };

    private long requestsServed;
    private long requestsRejected;
    private long connectionsAccepted;
    private long writeTimeouts;
    private long longestWriteStallNanos;
    private long idleTimeouts;

    private SlowSiteServer(EventLoop loop, InetSocketAddress address, Options options) throws IOException {
        this.loop = loop;
        this.options = options;
        this.listener = TcpServer.listen(loop, address, BACKLOG, this::onAccept);
    }

    /**
     * Loop thread only. Binds and starts serving.
     *
     * @param loop the loop to serve on
     * @param address where to listen; port 0 picks a free one
     * @param options delay, body size and deadlines
     * @return the running server
     * @throws IOException if the address cannot be bound (e.g. {@link java.net.BindException} when the port is taken)
     * @throws IllegalStateException off the loop thread
     */
    public static SlowSiteServer start(EventLoop loop, InetSocketAddress address, Options options) throws IOException {
        return new SlowSiteServer(loop, address, options);
    }

    private void onAccept(TcpConnection connection) {
        connectionsAccepted++;
        connection.setReadTimeout(options.idleTimeout());
        connection.setWriteTimeout(options.writeTimeout());
        SlowSiteSession session = new SlowSiteSession(this, connection);
        Task<Void> task = loop.spawn("serve " + connection.description(), session);
        sessions.put(task, session);
        task.promise().onComplete(p -> sessions.remove(task));
    }

    /**
     * Loop thread only, with the loop not running (before {@link EventLoop#run()}). Serves two requests to itself over
     * loopback (one answered, one rejected), driving the loop until both are done (at most 5 s), then resets the
     * counters. So every class the serve path needs is loaded while file descriptors are plentiful: a server started
     * from a class directory would otherwise open a {@code .class} file on its first request, which fails once
     * clients have taken every descriptor (EMFILE).
     *
     * @throws IOException if the server cannot reach itself
     * @throws IllegalStateException off the loop thread or while the loop runs
     */
    public void warmUp() throws IOException {
        loop.checkInLoop("SlowSiteServer.warmUp");
        Promise<Integer> answered =
                selfRequest("GET /warm-up?encoding=chunked HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        Promise<Integer> rejected = selfRequest("GET /warm-up HTTP/9.9\r\n\r\n");
        long deadline = System.nanoTime() + 5_000_000_000L;
        Timer tick = loop.scheduleAfter(5, TimeUnit.SECONDS, () -> {});
        while (!(answered.isDone() && rejected.isDone() && sessions.isEmpty()) && System.nanoTime() - deadline < 0) {
            loop.runOnce();
        }
        tick.cancel();
        if (!answered.isSucceeded() || !rejected.isSucceeded()) {
            throw new IOException("the server did not answer its own warm-up requests within 5 s");
        }
        requestsServed = 0;
        requestsRejected = 0;
        connectionsAccepted = 0;
    }

    /** Sends {@code request}, reads until the server closes; the promise holds the bytes read. */
    private Promise<Integer> selfRequest(String request) {
        ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
        ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        return TcpConnection.connect(loop, listener.localAddress()).flatMap(c -> {
            c.setReadTimeout(java.time.Duration.ofSeconds(5));
            return c.write(out).flatMap(v -> readToEnd(c, in)).map(n -> {
                c.close();
                return n;
            });
        });
    }

    private static Promise<Integer> readToEnd(TcpConnection c, ByteBuffer in) {
        if (!in.hasRemaining()) {
            in.clear();
        }
        return c.read(in).flatMap(n -> n < 0 ? c.loop().newSucceededPromise(in.position()) : readToEnd(c, in));
    }

    /**
     * Thread-safe. The bytes the server sends as the body of {@code path}: {@code size} lowercase letters in lines of
     * 64, from a generator seeded by the path, so every path has its own body and any client can recompute it.
     *
     * @param path the request path without query, e.g. {@code /page/7}
     * @param size the body size in bytes
     * @return a new array of {@code size} bytes
     */
    public static byte[] body(String path, int size) {
        byte[] out = new byte[size];
        long x = path.hashCode() * 0x9E3779B97F4A7C15L + 1;
        for (int i = 0; i < size; i++) {
            if (i % 65 == 64) {
                out[i] = '\n';
                continue;
            }
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            out[i] = (byte) ('a' + Math.floorMod(x, 26));
        }
        return out;
    }

    /** The response to a well-formed request, framed as its {@code encoding} parameter asks. */
    ByteBuffer response(HttpRequestParser.Request request) {
        String target = request.target();
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String encoding = q < 0 ? "length" : queryParameter(target.substring(q + 1), "encoding", "length");
        boolean head = request.method().equals("HEAD");
        byte[] body = bodies.computeIfAbsent(path, p -> body(p, options.bodyBytes()));
        StringBuilder headers = new StringBuilder("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=us-ascii\r\n");
        byte[] framed;
        switch (encoding) {
            case "chunked" -> {
                headers.append("Transfer-Encoding: chunked\r\n");
                framed = chunked(body);
            }
            case "close" -> {
                headers.append("Connection: close\r\n");
                framed = body;
            }
            default -> {
                headers.append("Content-Length: ").append(body.length).append("\r\n");
                framed = body;
            }
        }
        if (!request.keepAlive() && !encoding.equals("close")) {
            headers.append("Connection: close\r\n");
        } else if (request.keepAlive() && request.version().equals("HTTP/1.0") && !encoding.equals("close")) {
            headers.append("Connection: keep-alive\r\n"); // HTTP/1.0 keeps a connection only when told so
        }
        headers.append("\r\n");
        byte[] head0 = headers.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out = ByteBuffer.allocate(head0.length + (head ? 0 : framed.length));
        out.put(head0);
        if (!head) {
            out.put(framed);
        }
        return out.flip();
    }

    /** Whether the response to {@code request} ends the connection. */
    static boolean closesAfter(HttpRequestParser.Request request) {
        String target = request.target();
        int q = target.indexOf('?');
        return !request.keepAlive()
                || (q >= 0
                        && queryParameter(target.substring(q + 1), "encoding", "length")
                                .equals("close"));
    }

    /** The response to a rejected request: its status, a one-line reason, and {@code Connection: close}. */
    static ByteBuffer rejection(HttpRequestParser.Reject reject) {
        String reasonPhrase = switch (reject.status()) {
            case 414 -> "URI Too Long";
            case 431 -> "Request Header Fields Too Large";
            default -> "Bad Request";
        };
        String body = reject.reason() + "\n";
        String response = "HTTP/1.1 " + reject.status() + " " + reasonPhrase + "\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n"
                + "Content-Length: " + body.length() + "\r\n"
                + "Connection: close\r\n\r\n" + body;
        return ByteBuffer.wrap(response.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] chunked(byte[] body) {
        ByteBuffer out = ByteBuffer.allocate(body.length + (body.length / 4096 + 2) * 16 + 8);
        for (int off = 0; off < body.length; off += 4096) {
            int n = Math.min(4096, body.length - off);
            out.put((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.put(body, off, n);
            out.put((byte) '\r').put((byte) '\n');
        }
        out.put("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] result = new byte[out.position()];
        out.flip().get(result);
        return result;
    }

    private static String queryParameter(String query, String name, String fallback) {
        for (String pair : List.of(query.split("&"))) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return pair.substring(eq + 1);
            }
        }
        return fallback;
    }

    Options options() {
        return options;
    }

    EventLoop loop() {
        return loop;
    }

    void countServed() {
        requestsServed++;
    }

    void countRejected() {
        requestsRejected++;
    }

    void countWriteTimeout(long stalledNanos) {
        writeTimeouts++;
        longestWriteStallNanos = Math.max(longestWriteStallNanos, stalledNanos);
    }

    void countIdleTimeout() {
        idleTimeouts++;
    }

    /**
     * Loop thread only. Connections aborted because their queued response bytes made no progress for the write
     * timeout (clients that stopped reading).
     *
     * @return a count
     */
    public long writeTimeouts() {
        loop.checkInLoop("SlowSiteServer.writeTimeouts");
        return writeTimeouts;
    }

    /**
     * Loop thread only. The longest time any connection aborted for its write timeout had made no write progress when
     * it was aborted: the write timeout plus however late the saturated loop ran the deadline.
     *
     * @return nanoseconds; 0 before the first write timeout
     */
    public long longestWriteStallNanos() {
        loop.checkInLoop("SlowSiteServer.longestWriteStallNanos");
        return longestWriteStallNanos;
    }

    /**
     * Loop thread only. Connections closed because the client sent nothing for the idle timeout, or did not finish a
     * request head within the header deadline.
     *
     * @return a count
     */
    public long idleTimeouts() {
        loop.checkInLoop("SlowSiteServer.idleTimeouts");
        return idleTimeouts;
    }

    /**
     * Loop thread only. One line on what the server did: connections, requests served and rejected, timeouts.
     *
     * @return e.g. {@code "served 120 request(s) on 12 connection(s); 0 rejected; 1 write timeout(s); 3 idle"}
     */
    public String summary() {
        loop.checkInLoop("SlowSiteServer.summary");
        return "served " + requestsServed + " request(s) on " + connectionsAccepted + " connection(s); "
                + requestsRejected + " rejected; " + writeTimeouts + " write timeout(s); " + idleTimeouts
                + " idle or header timeout(s)";
    }

    /**
     * Loop thread only. Where the server listens.
     *
     * @return the bound address, with the port chosen when 0 was asked
     */
    public InetSocketAddress localAddress() {
        return listener.localAddress();
    }

    /**
     * Loop thread only. Responses sent in full so far.
     *
     * @return a count
     */
    public long requestsServed() {
        loop.checkInLoop("SlowSiteServer.requestsServed");
        return requestsServed;
    }

    /**
     * Loop thread only. Requests answered with 400, 414 or 431 so far.
     *
     * @return a count
     */
    public long requestsRejected() {
        loop.checkInLoop("SlowSiteServer.requestsRejected");
        return requestsRejected;
    }

    /**
     * Loop thread only. Connections accepted so far.
     *
     * @return a count
     */
    public long connectionsAccepted() {
        loop.checkInLoop("SlowSiteServer.connectionsAccepted");
        return connectionsAccepted;
    }

    /**
     * Loop thread only. Connections open now (one session task each).
     *
     * @return a count
     */
    public int openConnections() {
        loop.checkInLoop("SlowSiteServer.openConnections");
        return sessions.size();
    }

    /**
     * Loop thread only. Stops accepting and cancels every session, which closes its connection at its next marked
     * point (within this or the next iteration).
     */
    @Override
    public void close() {
        loop.checkInLoop("SlowSiteServer.close");
        listener.close();
        for (Task<Void> session : List.copyOf(sessions.keySet())) {
            session.cancel();
        }
    }

    /**
     * Loop thread only. Begins a graceful close: stops accepting, closes every connection that is idle between requests,
     * and lets the others finish the response they are working on, then close instead of keeping alive. Call {@link
     * #close()} after a grace period to end those that are still busy.
     *
     * @return how many connections are still busy with a request
     */
    public int closeGracefully() {
        loop.checkInLoop("SlowSiteServer.closeGracefully");
        draining = true;
        listener.close();
        for (Map.Entry<Task<Void>, SlowSiteSession> e : List.copyOf(sessions.entrySet())) {
            if (e.getValue().idle()) {
                e.getKey().cancel();
            }
        }
        return sessions.size();
    }

    boolean draining() {
        return draining;
    }
}
