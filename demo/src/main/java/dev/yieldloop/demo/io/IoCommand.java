package dev.yieldloop.demo.io;

import dev.yieldloop.demo.DemoException;
import dev.yieldloop.demo.Strategies;
import dev.yieldloop.demo.report.HtmlReport;
import dev.yieldloop.demo.report.Json;
import dev.yieldloop.demo.report.Measurement;
import dev.yieldloop.demo.report.Progress;
import dev.yieldloop.demo.report.ReportSections;
import dev.yieldloop.demo.report.ResultTable;
import dev.yieldloop.demo.report.StrategyResult;
import dev.yieldloop.demo.server.SlowSiteProcess;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code io}: the article's IO-bound workload. N downloads from the embedded slow-site server (a child process on
 * 127.0.0.1) or from the URLs of a file, made by each strategy in turn, with a table of wall time, speed-up, ideal
 * bound, peak threads, peak heap, errors and checksum.
 */
@Command(
        name = "io",
        mixinStandardHelpOptions = true,
        description = {
            "IO-bound workload: N HTTP downloads made sequentially, by a thread pool, by virtual threads (JDK 21+),"
                    + " as tasks on one event loop, and by a pool of worker processes.",
            "Downloads come from an embedded slow-site server started as a child process on 127.0.0.1, or from"
                    + " --url-file."
        })
public final class IoCommand implements Callable<Integer> {

    /** Exit code when the run completed but some downloads failed. */
    public static final int EXIT_DOWNLOAD_ERRORS = 3;

    /** Every strategy by name, in the order the table shows them. */
    static final Map<String, Supplier<IoStrategy>> STRATEGIES = byName();

    /** Every strategy's name, in the order the table shows them. */
    public static final List<String> ALL_STRATEGIES = List.copyOf(STRATEGIES.keySet());

    @Spec
    CommandSpec spec;

    @Option(
            names = "--requests",
            defaultValue = "160",
            description = "Downloads per strategy (default: ${DEFAULT-VALUE}, as in the article).")
    int requests;

    @Option(
            names = "--delay-ms",
            defaultValue = "100",
            description = "Embedded server's delay per response, in milliseconds (default: ${DEFAULT-VALUE}).")
    long delayMillis;

    @Option(
            names = "--body-bytes",
            defaultValue = "10240",
            description = "Embedded server's body size, in bytes (default: ${DEFAULT-VALUE}).")
    int bodyBytes;

    @Option(
            names = "--threads",
            defaultValue = "5",
            description = "Platform threads of the 'threads' strategy (default: ${DEFAULT-VALUE}, as the article's"
                    + " pool).")
    int threads;

    @Option(
            names = "--limit",
            defaultValue = "0",
            description = "Most downloads in flight at once on the event loop, through a Semaphore (default:"
                    + " ${DEFAULT-VALUE}, no limit).")
    int limit;

    @Option(
            names = "--processes",
            description = "Worker processes of the 'process-pool' strategy (default: available processors, as"
                    + " the article's multiprocessing.Pool).")
    Integer processes;

    @Option(
            names = "--timeout-ms",
            defaultValue = "10000",
            description = "Deadline of each download, in milliseconds (default: ${DEFAULT-VALUE}).")
    long timeoutMillis;

    @Option(
            names = "--strategies",
            split = ",",
            paramLabel = "LIST",
            description = "Comma-separated strategies to run (default: all of sequential, threads, virtual-threads,"
                    + " event-loop, process-pool).")
    List<String> strategies;

    @Option(
            names = "--url-file",
            paramLabel = "FILE",
            description = "Plain-HTTP URLs, one per line ('#' starts a comment), cycled until --requests downloads"
                    + " are made, instead of the embedded server.")
    Path urlFile;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON to FILE.")
    Path jsonFile;

    @Option(
            names = "--report",
            paramLabel = "DIR",
            description = "Also write a self-contained report, DIR/index.html (tables, charts; no network needed).")
    Path reportDir;

    private ToLongFunction<String> idealBound = name -> -1;

    private boolean printSnapshot;
    private List<StrategyResult> results = List.of();

    /** Created by picocli. */
    public IoCommand() {}

    /**
     * Makes the event-loop strategy print a loop snapshot when half its downloads have finished (the tour does).
     *
     * @param print whether to print it
     */
    public void printSnapshot(boolean print) {
        this.printSnapshot = print;
    }

    /**
     * The results of the last {@link #call()}, for the tour's summary.
     *
     * @return the results in run order, empty before a run
     */
    public List<StrategyResult> results() {
        return results;
    }

    /**
     * The ideal bound of a strategy in the last {@link #call()}: delay × ⌈N / concurrency⌉.
     *
     * @param strategy the strategy's name
     * @return nanoseconds, or -1 when unknown (URLs from a file, or before a run)
     */
    public long idealBoundNanos(String strategy) {
        return idealBound.applyAsLong(strategy);
    }

    @Override
    public Integer call() throws Exception {
        validate();
        List<IoStrategy> chosen = chooseStrategies(strategies == null ? ALL_STRATEGIES : strategies);
        PrintWriter out = spec == null
                ? new PrintWriter(System.out, true)
                : spec.commandLine().getOut();
        List<String> fileUrls = urlFile == null ? null : readUrlFile(urlFile);
        SlowSiteProcess server = fileUrls == null ? SlowSiteProcess.start(delayMillis, bodyBytes) : null;
        try {
            List<HttpUrl> urls = new ArrayList<>(requests);
            for (int i = 0; i < requests; i++) {
                urls.add(HttpUrl.parse(
                        fileUrls == null ? server.baseUrl() + "/page/" + i : fileUrls.get(i % fileUrls.size())));
            }
            out.println(
                    fileUrls == null
                            ? "IO-bound: " + requests + " downloads of " + bodyBytes
                                    + " bytes from a slow-site server (" + delayMillis
                                    + " ms per response) in a child process on 127.0.0.1:" + server.port()
                            : "IO-bound: " + requests + " downloads cycling the " + fileUrls.size() + " URLs of "
                                    + urlFile);
            out.flush();
            IoSettings settings = new IoSettings(
                    threads, processes(), limit, Duration.ofMillis(timeoutMillis), printSnapshot ? out : null);
            results = new ArrayList<>();
            for (IoStrategy strategy : chosen) {
                results.add(runOne(strategy, urls, settings, out));
            }
            out.println();
            idealBound = name -> idealBoundNanos(name, chosen, settings, fileUrls == null);
            out.println(ResultTable.render(results, idealBound));
            out.flush();
            if (reportDir != null) {
                HtmlReport report = new HtmlReport("Yieldloop: IO-bound workload");
                ReportSections.workload(
                        report, "io", "IO-bound", requests + " downloads per strategy", results, idealBound);
                out.println("wrote " + report.write(reportDir));
            }
            if (jsonFile != null) {
                writeJson(jsonFile, results);
                out.println("wrote " + jsonFile);
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
        long errors = results.stream().mapToLong(StrategyResult::errors).sum();
        if (errors > 0) {
            spec.commandLine().getErr().println("error: " + errors + " downloads failed; first: " + firstError());
            return EXIT_DOWNLOAD_ERRORS;
        }
        return 0;
    }

    private int processes() {
        return processes == null ? Runtime.getRuntime().availableProcessors() : processes;
    }

    private String firstError() {
        return results.stream()
                .map(StrategyResult::firstError)
                .filter(e -> e != null)
                .findFirst()
                .orElse("?");
    }

    private void validate() throws DemoException {
        if (requests < 1) {
            throw new DemoException("--requests must be >= 1, got " + requests);
        }
        if (delayMillis < 0 || bodyBytes < 0) {
            throw new DemoException("--delay-ms and --body-bytes must be >= 0");
        }
        if (threads < 1) {
            throw new DemoException("--threads must be >= 1, got " + threads);
        }
        if (limit < 0) {
            throw new DemoException("--limit must be >= 0 (0 for no limit), got " + limit);
        }
        if (processes() < 1 || processes() > 64) {
            throw new DemoException("--processes must be in 1..64, got " + processes());
        }
        if (timeoutMillis < 1) {
            throw new DemoException("--timeout-ms must be >= 1, got " + timeoutMillis);
        }
    }

    /**
     * The strategies named, in the order given.
     *
     * @param names strategy names
     * @return the strategies
     * @throws DemoException for an unknown name, listing the known ones
     */
    static List<IoStrategy> chooseStrategies(List<String> names) throws DemoException {
        return Strategies.choose(names, STRATEGIES);
    }

    private static Map<String, Supplier<IoStrategy>> byName() {
        Map<String, Supplier<IoStrategy>> m = new LinkedHashMap<>();
        m.put("sequential", SequentialStrategy::new);
        m.put("threads", ThreadPoolStrategy::new);
        m.put("virtual-threads", VirtualThreadStrategy::new);
        m.put("event-loop", EventLoopStrategy::new);
        m.put("process-pool", ProcessPoolStrategy::new);
        return Collections.unmodifiableMap(m);
    }

    /**
     * Reads a URL file: one URL per line, blank lines and lines starting with {@code #} skipped, each URL checked.
     *
     * @param file the file
     * @return the URLs as written, at least one
     * @throws DemoException if the file cannot be read, holds no URL, or holds a malformed or non-HTTP URL (with its
     *     line number)
     */
    static List<String> readUrlFile(Path file) throws DemoException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DemoException("cannot read URL file " + file + ": " + e, e);
        }
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                HttpUrl.parse(line);
            } catch (IllegalArgumentException e) {
                throw new DemoException(file + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
            urls.add(line);
        }
        if (urls.isEmpty()) {
            throw new DemoException("URL file " + file + " holds no URL");
        }
        return urls;
    }

    private StrategyResult runOne(IoStrategy strategy, List<HttpUrl> urls, IoSettings settings, PrintWriter out)
            throws Exception {
        StrategyResult skipped = Strategies.announce(out, strategy.name(), strategy.unavailableReason());
        if (skipped != null) {
            return skipped;
        }
        DownloadLog[] log = new DownloadLog[1];
        Measurement m;
        try (Progress progress = Progress.start(strategy.name(), urls.size(), "downloads", System.err)) {
            log[0] = new DownloadLog(urls.size(), progress);
            m = Measurement.of(() -> strategy.run(urls, settings, log[0]));
        }
        return new StrategyResult(
                strategy.name(),
                false,
                null,
                m.wallNanos(),
                log[0].ok(),
                log[0].errors(),
                m.peakThreads(),
                m.peakHeapBytes(),
                log[0].checksum(),
                log[0].firstError(urls));
    }

    private long idealBoundNanos(String name, List<IoStrategy> chosen, IoSettings settings, boolean embedded) {
        if (!embedded) {
            return -1; // a real site's delay is unknown
        }
        for (IoStrategy s : chosen) {
            if (s.name().equals(name)) {
                long rounds = (requests + s.concurrency(settings, requests) - 1) / s.concurrency(settings, requests);
                return rounds * delayMillis * 1_000_000;
            }
        }
        return -1;
    }

    private void writeJson(Path file, List<StrategyResult> list) throws DemoException {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("requests", requests);
        params.put("delayMillis", delayMillis);
        params.put("bodyBytes", bodyBytes);
        params.put("threads", threads);
        params.put("processes", processes());
        params.put("limit", limit);
        params.put("timeoutMillis", timeoutMillis);
        params.put("urlFile", urlFile == null ? null : urlFile.toString());
        params.put("javaVersion", Runtime.version().toString());
        params.put("cpus", Runtime.getRuntime().availableProcessors());
        Json.writeWorkload(file, "io", params, list.stream().map(Json::toMap).toList());
    }
}
