package dev.yieldloop.demo.trace;

import dev.yieldloop.demo.DemoException;
import dev.yieldloop.demo.io.HttpUrl;
import dev.yieldloop.demo.report.BarChartSvg;
import dev.yieldloop.demo.report.HtmlReport;
import dev.yieldloop.demo.server.SlowSiteOptions;
import dev.yieldloop.demo.server.SlowSiteProcess;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trace}: the article's two pictures, "how threading works" and "how asyncio works", drawn from a real run. A
 * few downloads from the embedded slow-site server, made sequentially, by a pool of threads, as tasks on one event
 * loop (trace journal on) and by a pool of worker processes; one SVG timeline per strategy on a shared time axis, the
 * event loop's Chrome trace (for Perfetto), and an {@code index.html} holding them all.
 */
@Command(
        name = "trace",
        mixinStandardHelpOptions = true,
        description = {
            "Draws what each strategy did during a small IO run: one SVG timeline per strategy (threads, the event"
                    + " loop's steps and waits, worker processes), the event loop's Chrome trace for Perfetto, and an"
                    + " index.html with them all."
        })
public final class TraceCommand implements Callable<Integer> {

    /** The strategies drawn, in order. */
    public static final List<String> STRATEGIES = List.of("sequential", "threads", "event-loop", "process-pool");

    /** The Chrome trace's file name. */
    public static final String CHROME_TRACE_FILE = "event-loop.trace.json";

    @Spec
    CommandSpec spec;

    @Mixin
    SlowSiteOptions site = new SlowSiteOptions(12);

    @Option(
            names = "--out",
            defaultValue = "yieldloop-trace",
            paramLabel = "DIR",
            description = "Where the SVGs, the Chrome trace and index.html go (default: ${DEFAULT-VALUE}).")
    Path outDir;

    @Option(names = "--report", paramLabel = "DIR", description = "Write index.html into DIR instead of --out.")
    Path reportDir;

    @Option(names = "--threads", defaultValue = "3", description = "Threads of 'threads' (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(
            names = "--processes",
            defaultValue = "3",
            description = "Worker processes of 'process-pool' (default: ${DEFAULT-VALUE}).")
    int processes;

    private List<TracedRuns.Run> runs = List.of();
    private boolean writeIndex = true;
    private final List<Path> written = new ArrayList<>();

    /** Created by picocli. */
    public TraceCommand() {}

    /**
     * Whether {@link #call()} writes its own {@code index.html} (the tour writes one report of everything instead).
     *
     * @param write false to leave the index to the caller
     */
    public void writeIndex(boolean write) {
        this.writeIndex = write;
    }

    /**
     * Adds this run's sections (table, bar chart, timelines) to a report, after {@link #call()}.
     *
     * @param report the report
     */
    public void addSections(HtmlReport report) {
        addSections(report, runs, site.delayMillis(), site.requests(), threads, processes);
    }

    /**
     * The runs of the last {@link #call()}, for the tour's report.
     *
     * @return the runs in {@link #STRATEGIES} order, empty before a run
     */
    public List<TracedRuns.Run> runs() {
        return runs;
    }

    /**
     * The files the last {@link #call()} wrote.
     *
     * @return the paths, SVGs first
     */
    public List<Path> written() {
        return List.copyOf(written);
    }

    @Override
    public Integer call() throws Exception {
        if (site.requests() < 1 || site.requests() > 200) {
            throw new DemoException(
                    "--requests must be in 1..200 (a timeline of more is unreadable), got " + site.requests());
        }
        if (site.delayMillis() < 0 || threads < 1 || processes < 1 || processes > 16) {
            throw new DemoException("--delay-ms >= 0, --threads >= 1 and --processes in 1..16 are required");
        }
        PrintWriter out = spec == null
                ? new PrintWriter(System.out, true)
                : spec.commandLine().getOut();
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, 10_000 + site.delayMillis() * 4);
        try (SlowSiteProcess server = SlowSiteProcess.start(site.delayMillis(), 10_240)) {
            List<HttpUrl> urls = new ArrayList<>();
            for (int i = 0; i < site.requests(); i++) {
                urls.add(HttpUrl.parse(server.baseUrl() + "/page/" + i));
            }
            out.println("trace: " + site.requests() + " downloads (" + site.delayMillis()
                    + " ms each) from a slow-site server on" + " 127.0.0.1:" + server.port() + ", drawn for "
                    + String.join(", ", STRATEGIES));
            out.flush();
            List<TracedRuns.Run> done = new ArrayList<>();
            done.add(announce(out, TracedRuns.sequential(urls, timeoutMillis)));
            done.add(announce(out, TracedRuns.threads(urls, threads, timeoutMillis)));
            done.add(announce(out, TracedRuns.eventLoop(urls, timeoutMillis)));
            done.add(announce(out, TracedRuns.processPool(urls, processes, timeoutMillis)));
            runs = List.copyOf(done);
        }
        written.clear();
        long axis = runs.stream().mapToLong(r -> r.timeline().wallNanos()).max().orElse(1);
        Files.createDirectories(outDir);
        for (TracedRuns.Run run : runs) {
            Path svg = outDir.resolve("timeline-" + run.timeline().strategy() + ".svg");
            Files.writeString(svg, TimelineSvg.render(run.timeline(), axis), StandardCharsets.UTF_8);
            written.add(svg);
            if (run.chromeTraceJson() != null) {
                Path json = outDir.resolve(CHROME_TRACE_FILE);
                Files.writeString(json, run.chromeTraceJson(), StandardCharsets.UTF_8);
                written.add(json);
            }
        }
        if (writeIndex) {
            HtmlReport report = new HtmlReport("Yieldloop: what each strategy did, measured");
            addSections(report);
            TracedRuns.Run loopRun = runs.get(2);
            report.section("snapshot", "Loop snapshot", "<pre>" + HtmlReport.escape(loopRun.loopSnapshot()) + "</pre>");
            written.add(report.write(reportDir == null ? outDir : reportDir));
        }
        for (Path p : written) {
            out.println("wrote " + p.toAbsolutePath());
        }
        out.println("open the Chrome trace in https://ui.perfetto.dev (Open trace file) or chrome://tracing");
        out.flush();
        long errors = runs.stream().mapToLong(TracedRuns.Run::errors).sum();
        return errors == 0 ? 0 : 3;
    }

    private static TracedRuns.Run announce(PrintWriter out, TracedRuns.Run run) {
        out.printf(
                "  %-13s %6.0f ms  %d ok, %d errors%n",
                run.timeline().strategy(), run.timeline().wallNanos() / 1e6, run.ok(), run.errors());
        out.flush();
        return run;
    }

    /**
     * Adds the trace's sections to a report: a table and bar chart of wall time against the ideal bound, then the
     * timelines on a shared axis with a reading guide.
     *
     * @param report the report
     * @param runs the runs, in {@link #STRATEGIES} order
     * @param delayMillis the server's delay, ms
     * @param requests downloads per strategy
     * @param threads threads of 'threads'
     * @param processes workers of 'process-pool'
     */
    public static void addSections(
            HtmlReport report, List<TracedRuns.Run> runs, long delayMillis, int requests, int threads, int processes) {
        StringBuilder table = new StringBuilder("<table>\n<tr><th>strategy</th><th>wall (ms)</th><th>ideal bound (ms)"
                + "</th><th>ok</th><th>errors</th></tr>\n");
        List<BarChartSvg.Bar> bars = new ArrayList<>();
        for (TracedRuns.Run run : runs) {
            String name = run.timeline().strategy();
            long ideal = idealNanos(name, delayMillis, requests, threads, processes);
            bars.add(new BarChartSvg.Bar(name, run.timeline().wallNanos(), ideal));
            table.append(String.format(
                    java.util.Locale.ROOT,
                    "<tr><td>%s</td><td>%.0f</td><td>%d</td><td>%d</td>" + "<td>%d</td></tr>%n",
                    HtmlReport.escape(name),
                    run.timeline().wallNanos() / 1e6,
                    ideal / 1_000_000,
                    run.ok(),
                    run.errors()));
        }
        table.append("</table>\n")
                .append(BarChartSvg.render(
                        "Traced IO run: " + requests + " downloads of " + delayMillis + " ms", bars));
        report.section("trace-table", "Traced run: wall time against the ideal bound", table.toString());
        long axis = runs.stream().mapToLong(r -> r.timeline().wallNanos()).max().orElse(1);
        StringBuilder timelines = new StringBuilder(
                "<p>One row per thread, task or worker process, on one time axis."
                        + " Dark: code running on that thread. Light: waiting for the network. Threads wait blocked, one"
                        + " download each; the event loop's thread (its top row) runs every task in short slices and blocks in"
                        + " <code>select</code> only when all of them wait, so its tasks' waits (the rows below) overlap.</p>\n");
        for (TracedRuns.Run run : runs) {
            timelines
                    .append("<figure id=\"timeline-")
                    .append(run.timeline().strategy())
                    .append("\">")
                    .append(TimelineSvg.render(run.timeline(), axis))
                    .append("</figure>\n");
        }
        report.section("timelines", "Timelines: how threading works, how an event loop works", timelines.toString());
    }

    /** delay × ⌈N / concurrency⌉, in nanoseconds. */
    static long idealNanos(String strategy, long delayMillis, int requests, int threads, int processes) {
        int concurrency = switch (strategy) {
            case "threads" -> threads;
            case "process-pool" -> processes;
            case "event-loop" -> requests;
            default -> 1;
        };
        long rounds = (requests + concurrency - 1) / concurrency;
        return rounds * delayMillis * 1_000_000;
    }

    /**
     * Thread-safe. Whether a directory holds everything {@code trace} writes.
     *
     * @param dir the directory
     * @return true when the four SVGs, the Chrome trace and index.html are there
     */
    public static boolean complete(Path dir) {
        for (String s : STRATEGIES) {
            if (!Files.isRegularFile(dir.resolve("timeline-" + s + ".svg"))) {
                return false;
            }
        }
        return Files.isRegularFile(dir.resolve(CHROME_TRACE_FILE)) && Files.isRegularFile(dir.resolve("index.html"));
    }
}
