package dev.yieldloop.demo.server;

import dev.yieldloop.EventLoop;
import dev.yieldloop.LoopOptions;
import dev.yieldloop.demo.DemoException;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
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
            description = "Deadline for a request to arrive in full once it started, in milliseconds (default:"
                    + " ${DEFAULT-VALUE}).")
    long headerTimeoutMillis;

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
        if (delayMillis < 0 || bodyBytes < 0 || headerTimeoutMillis <= 0) {
            throw new DemoException("--delay-ms and --body-bytes must be >= 0 and --header-timeout-ms > 0");
        }
        SlowSiteServer.Options options = SlowSiteServer.Options.defaults()
                .withDelayAndBody(delayMillis, bodyBytes)
                .withHeaderTimeout(Duration.ofMillis(headerTimeoutMillis));
        try (EventLoop loop = new EventLoop(LoopOptions.defaults().withName("slow-site"))) {
            SlowSiteServer server;
            try {
                server = SlowSiteServer.start(loop, new InetSocketAddress("127.0.0.1", port), options);
            } catch (BindException e) {
                throw new DemoException("cannot listen on 127.0.0.1:" + port + " (" + e.getMessage()
                        + "); pick another --port, or 0 for a free one");
            }
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
            Thread mainThread = Thread.currentThread();
            Thread hook = new Thread(
                    () -> {
                        loop.stop();
                        try {
                            mainThread.join(2_000);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "slow-site-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            loop.run();
            server.close();
            for (int i = 0; i < 3; i++) {
                loop.runNow(); // let cancelled sessions close their connections
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is the one stopping us
            }
        }
        return 0;
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
