package dev.yieldloop.demo;

import dev.yieldloop.EventLoop;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assumptions;
import picocli.CommandLine;

/**
 * The demo as a child JVM, for tests that need a real process: signals, {@code ulimit}, orphans. It runs {@code java
 * -cp <the test's own class path for the demo> dev.yieldloop.demo.Main ...}, so it works from a clean clone in the
 * {@code test} phase, before the demo jar exists. Standard output and error are collected line by line.
 */
public final class DemoChild implements AutoCloseable {

    private final Process process;
    private final List<String> out = new CopyOnWriteArrayList<>();
    private final List<String> err = new CopyOnWriteArrayList<>();

    private DemoChild(Process process) {
        this.process = process;
        collect(process.getInputStream(), out, "demo-child-out");
        collect(process.getErrorStream(), err, "demo-child-err");
    }

    /** Starts the demo with {@code args}. */
    public static DemoChild start(String... args) throws IOException {
        return start(0, args);
    }

    /**
     * Starts the demo with {@code args}; with {@code openFileLimit > 0}, under {@code bash -c 'ulimit -n N; exec
     * java ...'} (the test is skipped, with the reason, where bash is missing).
     */
    public static DemoChild start(int openFileLimit, String... args) throws IOException {
        List<String> java = new ArrayList<>();
        java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        java.add("-XX:+UseSerialGC");
        java.add("-Xmx256m");
        java.add("-cp");
        java.add(openFileLimit > 0 ? jarredClassPath() : classPath());
        java.add(Main.class.getName());
        java.addAll(List.of(args));
        List<String> command = new ArrayList<>();
        if (openFileLimit > 0) {
            Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs /bin/bash for ulimit");
            command.addAll(List.of("/bin/bash", "-c", "ulimit -n " + openFileLimit + " && exec \"$@\"", "bash"));
        }
        command.addAll(java);
        ProcessBuilder builder = new ProcessBuilder(command);
        return new DemoChild(builder.start());
    }

    /** The demo's classes, the loop's, picocli's and JCTools', as this test JVM loaded them. */
    public static String classPath() {
        try {
            return String.join(
                    File.pathSeparator,
                    location(Main.class),
                    location(EventLoop.class),
                    location(CommandLine.class),
                    location(Class.forName("org.jctools.queues.MessagePassingQueue")));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("JCTools is not on the test class path", e);
        }
    }

    private static String jarredClassPath;

    /**
     * {@link #classPath()} with each class directory packed into a jar, as the demo runs from its jar. Under a low
     * {@code ulimit -n} this matters: a class loaded from a directory opens a file at the moment of first use, which
     * fails at EMFILE, while a jar is opened once, up front.
     */
    private static synchronized String jarredClassPath() throws IOException {
        if (jarredClassPath == null) {
            List<String> entries = new ArrayList<>();
            for (String entry : classPath().split(File.pathSeparator)) {
                Path path = Path.of(entry);
                entries.add(Files.isDirectory(path) ? jar(path).toString() : entry);
            }
            jarredClassPath = String.join(File.pathSeparator, entries);
        }
        return jarredClassPath;
    }

    private static Path jar(Path classes) throws IOException {
        Path jar = Files.createTempFile("yieldloop-demo-child-", ".jar");
        jar.toFile().deleteOnExit();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> files = Files.walk(classes)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                out.putNextEntry(
                        new JarEntry(classes.relativize(file).toString().replace(File.separatorChar, '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
        return jar;
    }

    private static String location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void collect(InputStream in, List<String> lines, String name) {
        Thread t = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                        for (String line; (line = r.readLine()) != null; ) {
                            lines.add(line);
                        }
                    } catch (IOException e) {
                        // the child is gone
                    }
                },
                name);
        t.setDaemon(true);
        t.start();
    }

    /** Waits up to {@code max} for an output line matching {@code test}, and returns it. */
    public String awaitLine(Predicate<String> test, Duration max) {
        try {
            Awaitility.await()
                    .atMost(max)
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> out.stream().anyMatch(test));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no matching line within " + max + "; " + this, e);
        }
        return out.stream().filter(test).findFirst().orElseThrow();
    }

    /** Waits up to {@code max} for {@code condition}, failing with the child's output. */
    public void await(String what, Duration max, Callable<Boolean> condition) {
        try {
            Awaitility.await().atMost(max).pollInterval(Duration.ofMillis(20)).until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(what + " did not happen within " + max + "; " + this, e);
        }
    }

    @Override
    public String toString() {
        return "demo pid " + process.pid() + " (alive: " + process.isAlive() + "), output " + out + ", errors " + err;
    }

    /** The port of a {@code server} child, from its first line {@code listening on 127.0.0.1:PORT}. */
    public int awaitServerPort() {
        String line = awaitLine(l -> l.startsWith("listening on 127.0.0.1:"), Duration.ofSeconds(30));
        return Integer.parseInt(line.substring(line.lastIndexOf(':') + 1).strip());
    }

    /** The child's pid (the java process: bash {@code exec}s it). */
    public long pid() {
        return process.pid();
    }

    /** The process. */
    public Process process() {
        return process;
    }

    /** Standard output so far. */
    public List<String> out() {
        return List.copyOf(out);
    }

    /** Standard error so far. */
    public List<String> err() {
        return List.copyOf(err);
    }

    /** CPU time the child has used so far, in milliseconds. */
    public long cpuMillis() {
        return process.info().totalCpuDuration().orElseThrow().toMillis();
    }

    /** Sends a signal by name ({@code TERM}, {@code INT}, {@code KILL}) with {@code kill}. */
    public void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS)) {
            kill.destroyForcibly();
        }
    }

    /** Kills the child and every descendant still alive (a failing test must not leave processes behind). */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
