package dev.yieldloop.demo.report;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options {@code io}, {@code cpu} and {@code race} share for writing their results besides the terminal: {@code
 * --json FILE} and {@code --report DIR}. A picocli mixin ({@code @Mixin OutputOptions output}).
 *
 * <p>Threading: filled in by picocli before the command runs; read-only afterwards.
 */
public final class OutputOptions {

    /** {@code --json FILE}: null when not given. */
    @Option(
            names = "--json",
            paramLabel = "FILE",
            description = "Also write the results as JSON to FILE: the workload, its parameters and one result per"
                    + " strategy.")
    Path jsonFile;

    /** {@code --report DIR}: null when not given. */
    @Option(
            names = "--report",
            paramLabel = "DIR",
            description = "Also write a self-contained report, DIR/index.html (tables, charts; no network needed).")
    Path reportDir;

    /** Created by picocli. */
    public OutputOptions() {}

    /**
     * Where {@code --json} writes.
     *
     * @return the file, or null when the option is not given
     */
    public Path jsonFile() {
        return jsonFile;
    }

    /**
     * Where {@code --report} writes {@code index.html}.
     *
     * @return the directory, or null when the option is not given
     */
    public Path reportDir() {
        return reportDir;
    }
}
