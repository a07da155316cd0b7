package dev.yieldloop.process;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The tunables of a {@link ProcessPool}, in one record (STYLE habit 15).
 *
 * @param workers how many worker processes, at least 1 (default: available processors, as CPython's {@code
 *     ProcessPoolExecutor})
 * @param maxQueuedJobs how many jobs may wait for a free worker before {@code submit} fails fast with {@link
 *     java.util.concurrent.RejectedExecutionException}, at least 1 (default 1,024)
 * @param frameCapBytes the largest frame either side accepts, in bytes: bounds an argument or result (default 16 MiB)
 * @param maxCrashes how many worker crashes the pool replaces before it declares itself broken (default 8); kills
 *     the pool makes itself (cancel, deadline) do not count
 * @param startTimeout how long a new worker may take to connect before it counts as crashed (default 20 s: a JVM
 *     start on a loaded 2-core machine takes about a second)
 * @param javaCommand the {@code java} launcher for workers (default: the running JVM's)
 * @param classPath the workers' class path entries (default: this JVM's class path and module path, which must hold
 *     the job classes)
 * @param jvmArgs extra JVM options for workers (default {@code -XX:+UseSerialGC -Xshare:auto})
 */
public record ProcessPoolOptions(
        int workers,
        int maxQueuedJobs,
        int frameCapBytes,
        int maxCrashes,
        Duration startTimeout,
        Path javaCommand,
        List<String> classPath,
        List<String> jvmArgs) {

    /** The default frame cap, 16 MiB. */
    public static final int DEFAULT_FRAME_CAP_BYTES = 16 << 20;

    /**
     * Checks the options.
     *
     * @param workers at least 1
     * @param maxQueuedJobs at least 1
     * @param frameCapBytes at least 64
     * @param maxCrashes at least 0
     * @param startTimeout positive
     * @param javaCommand the launcher
     * @param classPath class path entries, not empty
     * @param jvmArgs JVM options
     * @throws IllegalArgumentException if a number is out of range or the class path is empty
     */
    public ProcessPoolOptions {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, was " + workers);
        }
        if (maxQueuedJobs < 1) {
            throw new IllegalArgumentException("maxQueuedJobs must be at least 1, was " + maxQueuedJobs);
        }
        if (frameCapBytes < 64) {
            throw new IllegalArgumentException("frameCapBytes must be at least 64, was " + frameCapBytes);
        }
        if (maxCrashes < 0) {
            throw new IllegalArgumentException("maxCrashes must not be negative, was " + maxCrashes);
        }
        if (startTimeout.isNegative() || startTimeout.isZero()) {
            throw new IllegalArgumentException("startTimeout must be positive, was " + startTimeout);
        }
        Objects.requireNonNull(javaCommand, "javaCommand");
        classPath = List.copyOf(classPath);
        jvmArgs = List.copyOf(jvmArgs);
        if (classPath.isEmpty()) {
            throw new IllegalArgumentException("classPath must not be empty");
        }
    }

    /**
     * The defaults: one worker per available processor, this JVM's launcher and class path.
     *
     * @return default options
     */
    public static ProcessPoolOptions defaults() {
        return new ProcessPoolOptions(
                Runtime.getRuntime().availableProcessors(),
                1024,
                DEFAULT_FRAME_CAP_BYTES,
                8,
                Duration.ofSeconds(20),
                Path.of(System.getProperty("java.home"), "bin", "java"),
                currentClassPath(),
                List.of("-XX:+UseSerialGC", "-Xshare:auto"));
    }

    /**
     * A copy with another worker count.
     *
     * @param n at least 1
     * @return new options
     */
    public ProcessPoolOptions withWorkers(int n) {
        return withSizes(n, maxQueuedJobs, frameCapBytes, maxCrashes);
    }

    /**
     * A copy with another queue bound.
     *
     * @param n jobs that may wait, at least 1
     * @return new options
     */
    public ProcessPoolOptions withMaxQueuedJobs(int n) {
        return withSizes(workers, n, frameCapBytes, maxCrashes);
    }

    /**
     * A copy with another frame cap.
     *
     * @param bytes at least 64
     * @return new options
     */
    public ProcessPoolOptions withFrameCapBytes(int bytes) {
        return withSizes(workers, maxQueuedJobs, bytes, maxCrashes);
    }

    /**
     * A copy with another crash allowance.
     *
     * @param n crashes replaced before the pool is broken, at least 0
     * @return new options
     */
    public ProcessPoolOptions withMaxCrashes(int n) {
        return withSizes(workers, maxQueuedJobs, frameCapBytes, n);
    }

    /** A copy with other sizes and everything else kept: what the four size withers share. */
    private ProcessPoolOptions withSizes(int workers, int maxQueuedJobs, int frameCapBytes, int maxCrashes) {
        return new ProcessPoolOptions(
                workers, maxQueuedJobs, frameCapBytes, maxCrashes, startTimeout, javaCommand, classPath, jvmArgs);
    }

    /**
     * A copy with another class path.
     *
     * @param entries class path entries (directories or jars)
     * @return new options
     */
    public ProcessPoolOptions withClassPath(List<String> entries) {
        return new ProcessPoolOptions(
                workers, maxQueuedJobs, frameCapBytes, maxCrashes, startTimeout, javaCommand, entries, jvmArgs);
    }

    /**
     * A copy with another launcher.
     *
     * @param java the {@code java} executable
     * @return new options
     */
    public ProcessPoolOptions withJavaCommand(Path java) {
        return new ProcessPoolOptions(
                workers, maxQueuedJobs, frameCapBytes, maxCrashes, startTimeout, java, classPath, jvmArgs);
    }

    /**
     * This JVM's class path followed by its module path (workers run everything on the class path).
     *
     * @return the entries, without duplicates
     */
    static List<String> currentClassPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (String property : new String[] {"java.class.path", "jdk.module.path"}) {
            String value = System.getProperty(property, "");
            for (String entry : value.split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    entries.add(entry);
                }
            }
        }
        return new ArrayList<>(entries);
    }
}
