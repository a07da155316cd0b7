package dev.yieldloop.demo.server;

import dev.yieldloop.EventLoop;
import dev.yieldloop.LoopOptions;
import dev.yieldloop.Timer;
import dev.yieldloop.demo.DemoException;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code server}: runs the {@link SlowSiteServer} in the foreground on 127.0.0.1, for curl, a browser or a load tool.
 * Its first line of output is always {@code listening on 127.0.0.1:PORT}; the demo reads it when it starts the server
 * as a child process.
 */
@Command(
        name = "server",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the embedded slow-site HTTP/1.1 server on 127.0.0.1 in the foreground (Ctrl-C to stop).",
            "Each request is answered after --delay-ms with --body-bytes of text; ?encoding=chunked|close|length picks"
                    + " the framing."
        })
public final class ServerCommand implements Callable<Integer> {

    @Option(
            names = "--port",
            defaultValue = "8080",
            description = "TCP port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--delay-ms",
            defaultValue = "100",
            description = "Delay before each response, in milliseconds (default: ${DEFAULT-VALUE}).")
    long delayMillis;

    @Option(
            names = "--body-bytes",
            defaultValue = "10240",
            description = "Size of each response body, in bytes (default: ${DEFAULT-VALUE}).")
    int bodyBytes;

    @Option(
            names = "--header-timeout-ms",
            defaultValue = "10000",
            description = "Deadline for a request's head (request line and headers) to arrive once it started, in"
                    + " milliseconds; a body is not under it (default: ${DEFAULT-VALUE}).")
    long headerTimeoutMillis;

    @Option(
            names = "--idle-timeout-ms",
            defaultValue = "60000",
            description = "Longest wait for the next byte from a client, between requests and inside a body, in"
                    + " milliseconds: a slow upload that keeps sending is never cut (default: ${DEFAULT-VALUE}).")
    long idleTimeoutMillis;

    @Option(
            names = "--write-timeout-ms",
            defaultValue = "30000",
            description = "A connection whose queued response bytes make no progress for this long (a client that"
                    + " stopped reading) is aborted, in milliseconds (default: ${DEFAULT-VALUE}).")
    long writeTimeoutMillis;

    @Option(
            names = "--exit-on-stdin-eof",
            hidden = true,
            description = "Stop when standard input reaches end of file (used when the demo runs the server as a child"
                    + " process, so it never outlives the demo).")
    boolean exitOnStdinEof;

    /** Created by picocli. */
    public ServerCommand() {}

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new DemoException("--port must be in 0..65535, got " + port);
        }
        if (delayMillis < 0 || bodyBytes < 0) {
            throw new DemoException("--delay-ms and --body-bytes must be >= 0");
        }
        if (headerTimeoutMillis <= 0 || idleTimeoutMillis <= 0 || writeTimeoutMillis <= 0) {
            throw new DemoException("--header-timeout-ms, --idle-timeout-ms and --write-timeout-ms must be > 0");
        }
        SlowSiteServer.Options options = SlowSiteServer.Options.defaults()
                .withDelayAndBody(delayMillis, bodyBytes)
                .withHeaderTimeout(Duration.ofMillis(headerTimeoutMillis))
                .withIdleTimeout(Duration.ofMillis(idleTimeoutMillis))
                .withWriteTimeout(Duration.ofMillis(writeTimeoutMillis));
        try (EventLoop loop = new EventLoop(LoopOptions.defaults().withName("slow-site"))) {
            SlowSiteServer server;
            try {
                server = SlowSiteServer.start(loop, new InetSocketAddress("127.0.0.1", port), options);
            } catch (BindException e) {
                throw new DemoException("cannot listen on 127.0.0.1:" + port + " (" + e.getMessage()
                        + "); pick another --port, or 0 for a free one");
            }
            server.warmUp(); // load the serve path's classes now, not when clients have taken every descriptor
            InetSocketAddress bound = server.localAddress();
            System.out.println("listening on 127.0.0.1:" + bound.getPort());
            System.out.println("slow-site server: delay " + delayMillis + " ms, body " + bodyBytes
                    + " bytes; try: curl -v http://127.0.0.1:" + bound.getPort() + "/page/1");
            System.out.flush();
            if (exitOnStdinEof) {
                Thread watcher = new Thread(() -> awaitEof(System.in, loop), "stdin-eof-watcher");
                watcher.setDaemon(true);
                watcher.start();
            }
            // SIGINT/SIGTERM: the hook stops the loop and waits (bounded) until the main thread has closed gracefully
            // and printed its summary; waiting for the main thread to end would not do, as it then blocks in
            // System.exit behind this very hook.
            CountDownLatch stopped = new CountDownLatch(1);
            AtomicLong signalledNanos = new AtomicLong();
            Thread hook = new Thread(
                    () -> {
                        signalledNanos.set(System.nanoTime());
                        loop.stop();
                        try {
                            stopped.await(SHUTDOWN_WAIT_MILLIS, TimeUnit.MILLISECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "slow-site-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            loop.run();
            closeGracefully(loop, server);
            long signalled = signalledNanos.get();
            String after = signalled == 0
                    ? ""
                    : "; stopped " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled)
                            + " ms after the signal";
            System.out.println("slow-site server stopped: " + server.summary() + after);
            System.out.flush();
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is the one stopping us
            }
        }
        return 0;
    }

    /** How long a signal waits for the graceful close, in milliseconds: within the half second a user waits. */
    static final long SHUTDOWN_WAIT_MILLIS = 450;

    /** How long busy connections may go on finishing their response after a stop, in milliseconds. */
    static final long GRACE_MILLIS = 250;

    /** Stops accepting, closes idle connections, gives busy ones {@value #GRACE_MILLIS} ms, then cancels the rest. */
    private static void closeGracefully(EventLoop loop, SlowSiteServer server) {
        server.closeGracefully();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS);
        Timer wake = loop.scheduleAfter(GRACE_MILLIS, TimeUnit.MILLISECONDS, () -> {});
        while (server.openConnections() > 0 && System.nanoTime() - deadline < 0) {
            loop.runOnce();
        }
        wake.cancel();
        server.close();
        for (int i = 0; i < 3; i++) {
            loop.runNow(); // let cancelled sessions close their connections
        }
    }

    private static void awaitEof(InputStream in, EventLoop loop) {
        byte[] sink = new byte[256];
        try {
            while (in.read(sink) >= 0) {
                // discard: only the end of the stream matters
            }
        } catch (IOException e) {
            // a broken pipe is an end too
        }
        loop.stop();
    }
}
