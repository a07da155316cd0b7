package dev.yieldloop.demo.io;

import dev.yieldloop.demo.DemoException;
import dev.yieldloop.demo.report.StrategyResult;
import dev.yieldloop.demo.server.SlowSiteOptions;
import dev.yieldloop.demo.server.SlowSiteProcess;
import dev.yieldloop.demo.strategy.ComparisonCommand;
import dev.yieldloop.demo.strategy.Strategy;
import dev.yieldloop.demo.strategy.StrategySettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code io}: the article's IO-bound workload. N downloads from the embedded slow-site server (a child process on
 * 127.0.0.1) or from the URLs of a file, made by each strategy in turn, with a table of wall time, speed-up, ideal
 * bound, peak threads, peak heap, errors and checksum. The workload is {@link Downloads}; the strategies are those of
 * {@code dev.yieldloop.demo.strategy}, shared with {@code cpu}.
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
public final class IoCommand extends ComparisonCommand {

    /** Exit code when the run completed but some downloads failed. */
    public static final int EXIT_DOWNLOAD_ERRORS = 3;

    @Mixin
    SlowSiteOptions site = new SlowSiteOptions(160);

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
            names = "--url-file",
            paramLabel = "FILE",
            description = "Plain-HTTP URLs, one per line ('#' starts a comment), cycled until --requests downloads"
                    + " are made, instead of the embedded server.")
    Path urlFile;

    private boolean printSnapshot;
    private boolean embedded;

    /** Created by picocli. */
    public IoCommand() {
        super("io", "IO-bound");
    }

    /**
     * Makes the event-loop strategy print a loop snapshot when half its downloads have finished (the tour does).
     *
     * @param print whether to print it
     */
    public void printSnapshot(boolean print) {
        this.printSnapshot = print;
    }

    @Override
    public Integer call() throws Exception {
        validate();
        List<Strategy> chosen = chosenStrategies();
        PrintWriter out = out();
        List<String> fileUrls = urlFile == null ? null : readUrlFile(urlFile);
        embedded = fileUrls == null;
        SlowSiteProcess server = embedded ? SlowSiteProcess.start(site.delayMillis(), bodyBytes) : null;
        try {
            List<HttpUrl> urls = new ArrayList<>(site.requests());
            for (int i = 0; i < site.requests(); i++) {
                urls.add(HttpUrl.parse(embedded ? server.baseUrl() + "/page/" + i : fileUrls.get(i % fileUrls.size())));
            }
            out.println(
                    embedded
                            ? "IO-bound: " + site.requests() + " downloads of " + bodyBytes
                                    + " bytes from a slow-site server (" + site.delayMillis()
                                    + " ms per response) in a child process on 127.0.0.1:" + server.port()
                            : "IO-bound: " + site.requests() + " downloads cycling the " + fileUrls.size() + " URLs of "
                                    + urlFile);
            out.flush();
            StrategySettings settings = new StrategySettings(threads, processes(), limit, printSnapshot ? out : null);
            Duration timeout = Duration.ofMillis(timeoutMillis);
            compare(
                    out,
                    chosen,
                    settings,
                    site.requests(),
                    "downloads",
                    site.requests() + " downloads per strategy",
                    progress -> new Downloads(urls, timeout, new DownloadLog(urls.size(), progress)),
                    false);
        } finally {
            if (server != null) {
                server.close();
            }
        }
        long errors = results().stream().mapToLong(StrategyResult::errors).sum();
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
        return results().stream()
                .map(StrategyResult::firstError)
                .filter(e -> e != null)
                .findFirst()
                .orElse("?");
    }

    private void validate() throws DemoException {
        if (site.requests() < 1) {
            throw new DemoException("--requests must be >= 1, got " + site.requests());
        }
        if (site.delayMillis() < 0 || bodyBytes < 0) {
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

    /** Delay × ⌈N / concurrency⌉ on the embedded server; a real site's delay is unknown. */
    @Override
    protected long idealBoundNanos(Strategy strategy, StrategySettings settings) {
        if (!embedded) {
            return -1;
        }
        int concurrency = strategy.concurrency(settings, site.requests());
        long rounds = (site.requests() + concurrency - 1) / concurrency;
        return rounds * site.delayMillis() * 1_000_000;
    }

    @Override
    protected Map<String, Object> jsonParameters() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("requests", site.requests());
        params.put("delayMillis", site.delayMillis());
        params.put("bodyBytes", bodyBytes);
        params.put("threads", threads);
        params.put("processes", processes());
        params.put("limit", limit);
        params.put("timeoutMillis", timeoutMillis);
        params.put("urlFile", urlFile == null ? null : urlFile.toString());
        params.put("javaVersion", Runtime.version().toString());
        params.put("cpus", Runtime.getRuntime().availableProcessors());
        return params;
    }
}
