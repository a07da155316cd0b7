package dev.yieldloop.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU pinning of the child JVMs with {@code taskset} (util-linux): the server on CPU 0, the load generator on CPU 1,
 * so the two do not steal each other's core. Without {@code taskset}, or on one CPU, commands run unpinned.
 *
 * <p>Thread-safe (stateless).
 */
public final class Pinning {

    /** The CPU the server under test is pinned to. */
    public static final int SERVER_CPU = 0;

    /** The CPU the load generator is pinned to. */
    public static final int CLIENT_CPU = 1;

    private Pinning() {}

    /**
     * Whether {@code taskset} exists and the machine has at least two CPUs.
     *
     * @return true when commands get pinned
     */
    public static boolean available() {
        return Runtime.getRuntime().availableProcessors() >= 2
                && (Files.isExecutable(Path.of("/usr/bin/taskset")) || Files.isExecutable(Path.of("/bin/taskset")));
    }

    /**
     * The command prefixed with {@code taskset -c CPU} when pinning is available.
     *
     * @param cpu the CPU number
     * @param command the command and its arguments
     * @return a new list: the pinned command, or a copy of {@code command}
     */
    public static List<String> pin(int cpu, List<String> command) {
        List<String> out = new ArrayList<>();
        if (available()) {
            out.add("taskset");
            out.add("-c");
            out.add(Integer.toString(cpu));
        }
        out.addAll(command);
        return out;
    }

    /**
     * One line for the output saying how processes are pinned.
     *
     * @return e.g. {@code pinning: server on CPU 0, load generator on CPU 1 (taskset)}
     */
    public static String describe() {
        return available()
                ? "pinning: server on CPU " + SERVER_CPU + ", load generator on CPU " + CLIENT_CPU + " (taskset)"
                : "pinning: none (taskset missing or fewer than 2 CPUs)";
    }
}
