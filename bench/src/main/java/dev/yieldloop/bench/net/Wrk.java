package dev.yieldloop.bench.net;

import dev.yieldloop.bench.Pinning;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code wrk} as the HTTP load generator when it is installed ({@code apt-get install wrk}): one thread ({@code -t1},
 * pinned to the client CPU), keep-alive, {@code --latency} for its HdrHistogram percentiles. Else the bench's own
 * {@link LoadClient} is used.
 *
 * <p>Not thread-safe: the bench's main thread.
 */
final class Wrk {

    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in ([0-9.]+)(ms|s|m),");
    private static final Pattern ERRORS =
            Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern NON2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

    private Wrk() {}

    /**
     * The wrk binary, if installed.
     *
     * @return its path, or empty
     */
    static Optional<Path> binary() {
        return Stream.of("/usr/bin/wrk", "/usr/local/bin/wrk")
                .map(Path::of)
                .filter(Files::isExecutable)
                .findFirst();
    }

    /**
     * The figures of one wrk run.
     *
     * @param requests requests completed
     * @param seconds the run's length as wrk reports it
     * @param p50us median latency, microseconds
     * @param p99us 99th percentile latency, microseconds
     * @param errors socket errors plus non-2xx responses
     */
    record Result(long requests, double seconds, double p50us, double p99us, long errors) {}

    /**
     * Runs wrk once, bounded by its duration plus 30 s.
     *
     * @param port the server's port on 127.0.0.1
     * @param path the request path
     * @param conns connections
     * @param millis duration in milliseconds (rounded up to whole seconds, wrk's resolution)
     * @return its figures
     * @throws IOException if wrk fails or prints nothing usable
     * @throws InterruptedException if interrupted while waiting
     */
    static Result run(int port, String path, int conns, long millis) throws IOException, InterruptedException {
        long seconds = Math.max(1, (millis + 999) / 1000);
        List<String> cmd = new ArrayList<>(List.of(
                binary().orElseThrow().toString(),
                "-t1",
                "-c" + conns,
                "-d" + seconds + "s",
                "--timeout",
                "10s",
                "--latency",
                "http://127.0.0.1:" + port + path));
        Process p = new ProcessBuilder(Pinning.pin(Pinning.CLIENT_CPU, cmd))
                .redirectErrorStream(true)
                .start();
        byte[] bytes = p.getInputStream().readAllBytes();
        if (!p.waitFor(seconds + 30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("wrk did not finish");
        }
        String out = new String(bytes, StandardCharsets.UTF_8);
        Matcher total = TOTAL.matcher(out);
        if (!total.find()) {
            throw new IOException(
                    "wrk printed no totals: " + out.lines().findFirst().orElse(""));
        }
        long requests = Long.parseLong(total.group(1));
        double secs = Double.parseDouble(total.group(2)) * unitSeconds(total.group(3));
        long errors = 0;
        Matcher e = ERRORS.matcher(out);
        if (e.find()) {
            for (int i = 1; i <= 4; i++) {
                errors += Long.parseLong(e.group(i));
            }
        }
        Matcher n = NON2XX.matcher(out);
        if (n.find()) {
            errors += Long.parseLong(n.group(1));
        }
        if (!RPS.matcher(out).find()) {
            throw new IOException("wrk printed no Requests/sec");
        }
        return new Result(requests, secs, percentile(out, "50%"), percentile(out, "99%"), errors);
    }

    private static double unitSeconds(String unit) {
        return switch (unit) {
            case "ms" -> 1e-3;
            case "m" -> 60;
            default -> 1;
        };
    }

    /** A line of wrk's latency distribution, e.g. {@code 99%    1.23ms}, in microseconds. */
    private static double percentile(String out, String label) throws IOException {
        Matcher m = Pattern.compile("\\s" + Pattern.quote(label) + "\\s+([0-9.]+)(us|ms|s)")
                .matcher(out);
        if (!m.find()) {
            throw new IOException("wrk printed no " + label + " latency");
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "ms" -> v * 1e3;
            case "s" -> v * 1e6;
            default -> v;
        };
    }
}
