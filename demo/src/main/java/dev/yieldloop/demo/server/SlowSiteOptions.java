package dev.yieldloop.demo.server;

import picocli.CommandLine.Option;

/**
 * {@code --requests} and {@code --delay-ms}: how many downloads to make from the embedded slow-site server, and its
 * delay per response, for the commands that start it as a child process ({@code io}, {@code trace}). A picocli mixin
 * whose {@code --requests} default each command sets ({@code @Mixin SlowSiteOptions site = new
 * SlowSiteOptions(160)}); picocli shows a field's initial value as its default.
 *
 * <p>Threading: filled in by picocli before the command runs; read-only afterwards.
 */
public final class SlowSiteOptions {

    /** {@code --requests N}: downloads per strategy. */
    @Option(names = "--requests", description = "Downloads per strategy (default: ${DEFAULT-VALUE}).")
    int requests;

    /** {@code --delay-ms MS}: the embedded server's delay per response. */
    @Option(
            names = "--delay-ms",
            description = "Embedded server's delay per response, in milliseconds (default: ${DEFAULT-VALUE}).")
    long delayMillis = 100;

    /**
     * Creates the options.
     *
     * @param defaultRequests the default of {@code --requests}
     */
    public SlowSiteOptions(int defaultRequests) {
        this.requests = defaultRequests;
    }

    /**
     * Downloads per strategy.
     *
     * @return as given; the command checks its range
     */
    public int requests() {
        return requests;
    }

    /**
     * The delay per response.
     *
     * @return milliseconds; negative only if the user gave a negative value, which the command refuses
     */
    public long delayMillis() {
        return delayMillis;
    }
}
