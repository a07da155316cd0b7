package dev.yieldloop.bench.net;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The bench's own load generator, one thread on one selector: {@code conns} connections each doing ping-pong (send a
 * request, wait for the whole response, send the next), for a warm-up then a measured window. Echo mode sends {@code
 * messageBytes} and waits for as many back; HTTP mode sends {@code GET path HTTP/1.1} and reads the head and a {@code
 * Content-Length} body. Latency (request written to response complete) goes into an HdrHistogram, in microseconds.
 *
 * <p>Prints {@code start} when the measured window opens and {@code end} when it closes, so the parent can read the
 * server's CPU time at those instants. Every loop here is bounded by the window's deadline.
 *
 * <p>Not thread-safe: one thread.
 */
final class LoadClient {

    /** What is sent and how a response ends. */
    enum Mode {
        /** Fixed-size messages echoed back. */
        ECHO,
        /** HTTP/1.1 keep-alive GETs. */
        HTTP
    }

    /**
     * The outcome of the measured window.
     *
     * @param requests round trips completed in the window
     * @param seconds the window's length
     * @param histogram latencies in microseconds
     * @param errors connections that failed or were closed by the server
     */
    record Result(long requests, double seconds, Histogram histogram, long errors) {
        String line() {
            return String.format(
                    Locale.ROOT,
                    "requests=%d seconds=%.3f p50us=%d p99us=%d errors=%d",
                    requests,
                    seconds,
                    histogram.getValueAtPercentile(50),
                    histogram.getValueAtPercentile(99),
                    errors);
        }
    }

    private static final class Conn {
        final SocketChannel channel;
        final ByteBuffer in;
        long sentAt;

        Conn(SocketChannel channel, int inBytes) {
            this.channel = channel;
            this.in = ByteBuffer.allocate(inBytes);
        }
    }

    private final Mode mode;
    private final byte[] request;
    private final int responseBufferBytes;

    LoadClient(Mode mode, String path, int messageBytes) {
        this.mode = mode;
        if (mode == Mode.ECHO) {
            request = new byte[messageBytes];
            for (int i = 0; i < messageBytes; i++) {
                request[i] = (byte) ('a' + i % 26);
            }
            responseBufferBytes = messageBytes;
        } else {
            request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: yieldloop-bench\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            responseBufferBytes = 64 * 1024;
        }
    }

    /**
     * Opens the connections, warms up, measures.
     *
     * @param port the server's port on 127.0.0.1
     * @param conns connections
     * @param warmupNanos warm-up length
     * @param measureNanos measured window length
     * @param signal where {@code start} and {@code end} go
     * @return what the window saw
     * @throws IOException if connections cannot be opened
     */
    Result run(int port, int conns, long warmupNanos, long measureNanos, PrintStream signal) throws IOException {
        Histogram histogram = new Histogram(60_000_000L, 3);
        long errors = 0;
        try (Selector selector = Selector.open()) {
            List<Conn> all = new ArrayList<>(conns);
            try {
                InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
                for (int i = 0; i < conns; i++) {
                    SocketChannel ch = SocketChannel.open(address);
                    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    ch.configureBlocking(false);
                    Conn c = new Conn(ch, responseBufferBytes);
                    ch.register(selector, SelectionKey.OP_READ, c);
                    all.add(c);
                }
                long now = System.nanoTime();
                for (Conn c : all) {
                    send(c, now);
                }
                long measureStart = now + warmupNanos;
                long measureEnd = measureStart + measureNanos;
                boolean measuring = false;
                long requests = 0;
                while (true) {
                    now = System.nanoTime();
                    if (!measuring && now >= measureStart) {
                        measuring = true;
                        signal.println("start");
                        signal.flush();
                    }
                    if (now >= measureEnd) {
                        signal.println("end");
                        signal.flush();
                        break;
                    }
                    selector.select(50);
                    for (SelectionKey key : selector.selectedKeys()) {
                        Conn c = (Conn) key.attachment();
                        if (!onReadable(c)) {
                            key.cancel();
                            c.channel.close();
                            errors++;
                            continue;
                        }
                        if (complete(c)) {
                            long done = System.nanoTime();
                            if (measuring) {
                                requests++;
                                histogram.recordValue(Math.min((done - c.sentAt) / 1000, 60_000_000L));
                            }
                            c.in.clear();
                            send(c, done);
                        }
                    }
                    selector.selectedKeys().clear();
                }
                return new Result(requests, measureNanos / 1e9, histogram, errors);
            } finally {
                for (Conn c : all) {
                    c.channel.close();
                }
            }
        }
    }

    private void send(Conn c, long now) throws IOException {
        c.sentAt = now;
        ByteBuffer out = ByteBuffer.wrap(request);
        long deadline = now + 1_000_000_000L;
        while (out.hasRemaining() && System.nanoTime() < deadline) {
            c.channel.write(out); // requests are tiny: the socket buffer takes them at once
        }
    }

    private static boolean onReadable(Conn c) {
        try {
            if (!c.in.hasRemaining()) {
                return false;
            }
            return c.channel.read(c.in) >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    private boolean complete(Conn c) {
        ByteBuffer in = c.in;
        if (mode == Mode.ECHO) {
            return in.position() >= request.length;
        }
        int headEnd = headEnd(in);
        if (headEnd < 0) {
            return false;
        }
        return in.position() >= headEnd + contentLength(in, headEnd);
    }

    /** Index just past {@code \r\n\r\n}, or -1. */
    private static int headEnd(ByteBuffer in) {
        for (int i = 3; i < in.position(); i++) {
            if (in.get(i) == '\n' && in.get(i - 1) == '\r' && in.get(i - 2) == '\n' && in.get(i - 3) == '\r') {
                return i + 1;
            }
        }
        return -1;
    }

    private static int contentLength(ByteBuffer in, int headEnd) {
        String head = new String(in.array(), 0, headEnd, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
        int at = head.indexOf("\r\ncontent-length:");
        if (at < 0) {
            return 0;
        }
        int start = at + "\r\ncontent-length:".length();
        int end = head.indexOf('\r', start);
        return Integer.parseInt(head.substring(start, end).trim());
    }
}
