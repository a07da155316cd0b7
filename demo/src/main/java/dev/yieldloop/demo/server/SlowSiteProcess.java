package dev.yieldloop.demo.server;

import dev.yieldloop.demo.DemoException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The slow-site server as a child JVM, so the demo's client figures (threads, heap, CPU) are not mixed with the
 * server's: started with the same java binary and class path running {@code server --port 0 --exit-on-stdin-eof}, its
 * port read from its first output line. Closing it closes the child's standard input, which stops the server (so it
 * cannot outlive the demo even if the demo is killed), then waits, then kills it if needed.
 *
 * <p>Threading: one thread at a time.
 */
public final class SlowSiteProcess implements AutoCloseable {

    /** How long the child may take to print its port, in seconds. */
    static final long START_TIMEOUT_SECONDS = 30;

    private final Process process;
    private final int port;

    private SlowSiteProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts the server and waits until it listens.
     *
     * @param delayMillis response delay, in milliseconds
     * @param bodyBytes body size, in bytes
     * @return the running server
     * @throws DemoException if the child cannot start or does not report its port within {@value #START_TIMEOUT_SECONDS}
     *     s
     */
    public static SlowSiteProcess start(long delayMillis, int bodyBytes) throws DemoException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:+UseSerialGC");
        String logging = System.getProperty("java.util.logging.config.file");
        if (logging != null) {
            command.add("-Djava.util.logging.config.file=" + logging); // the child logs as this JVM was told to
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("dev.yieldloop.demo.Main");
        command.add("server");
        command.add("--port=0");
        command.add("--delay-ms=" + delayMillis);
        command.add("--body-bytes=" + bodyBytes);
        command.add("--exit-on-stdin-eof");
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            throw new DemoException("cannot start the slow-site server process: " + e.getMessage(), e);
        }
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String line;
        try {
            line = firstLine.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new DemoException("the slow-site server did not start within " + START_TIMEOUT_SECONDS + " s", e);
        }
        String prefix = "listening on 127.0.0.1:";
        if (line == null || !line.startsWith(prefix)) {
            process.destroyForcibly();
            throw new DemoException("the slow-site server failed to start (its first line was: " + line + ")");
        }
        Thread drain = new Thread(
                () -> {
                    try {
                        while (out.readLine() != null) {
                            // the child's later output is not needed
                        }
                    } catch (IOException e) {
                        // the child is gone
                    }
                },
                "slow-site-output");
        drain.setDaemon(true);
        drain.start();
        return new SlowSiteProcess(
                process, Integer.parseInt(line.substring(prefix.length()).strip()));
    }

    /**
     * The port the server listens on, on 127.0.0.1.
     *
     * @return the port
     */
    public int port() {
        return port;
    }

    /**
     * The base URL of the server.
     *
     * @return e.g. {@code http://127.0.0.1:41234}
     */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * The child's process id, for tests and diagnostics.
     *
     * @return the pid
     */
    public long pid() {
        return process.pid();
    }

    /** Stops the server: end of its input, up to 5 s to exit, then a forced kill. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
