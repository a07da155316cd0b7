package dev.yieldloop.bench.net;

import dev.yieldloop.bench.Main;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child process started from the same jar (or any command), pinned to a CPU, talked to line by line over its
 * standard streams. Closing it closes its standard input (the child's signal to stop), then waits, then destroys it
 * by its own handle.
 *
 * <p>Not thread-safe: the bench's main thread.
 */
public final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final BufferedReader out;
    private final Writer in;
    private final String name;

    private ChildJvm(String name, Process process) {
        this.name = name;
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    /**
     * The command that runs this bench's {@code Main} with {@code args} in a new JVM.
     *
     * @param heap the {@code -Xmx} value, e.g. {@code 1g}
     * @param args the bench arguments
     * @return the command
     */
    public static List<String> benchCommand(String heap, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xms" + heap);
        cmd.add("-Xmx" + heap);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(args);
        return cmd;
    }

    /**
     * Starts a child; its standard error goes to ours.
     *
     * @param name for messages
     * @param command the full command
     * @return the running child
     * @throws IOException if it cannot start
     */
    public static ChildJvm start(String name, List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        return new ChildJvm(name, pb.start());
    }

    /**
     * The process id (the JVM's own: {@code taskset} execs its command).
     *
     * @return the pid
     */
    public long pid() {
        return process.pid();
    }

    /**
     * Whether the child is still running.
     *
     * @return true while it runs
     */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Reads lines until one starts with {@code prefix}.
     *
     * @param prefix e.g. {@code listening }
     * @return the rest of that line after the prefix
     * @throws IOException if the child ends first
     */
    public String awaitLine(String prefix) throws IOException {
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length()).trim();
            }
        }
        throw new IOException(
                name + " ended (exit " + exitCodeOrRunning() + ") before printing '" + prefix.trim() + "'");
    }

    /**
     * Sends one line to the child's standard input.
     *
     * @param line the line, without its end
     * @throws IOException if the pipe is broken
     */
    public void send(String line) throws IOException {
        in.write(line + "\n");
        in.flush();
    }

    private String exitCodeOrRunning() {
        try {
            return process.waitFor(2, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "still running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** Asks the child to end now (SIGTERM), then waits up to 3 s and kills it if it has to. */
    public void terminate() {
        process.destroy();
        try {
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Closes standard input, waits up to 5 s, then destroys this child (and only it). */
    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(3, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(3, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
