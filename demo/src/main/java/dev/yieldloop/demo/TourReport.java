package dev.yieldloop.demo;

import dev.yieldloop.demo.cpu.CpuCommand;
import dev.yieldloop.demo.io.IoCommand;
import dev.yieldloop.demo.race.RaceCommand;
import dev.yieldloop.demo.report.HtmlReport;
import dev.yieldloop.demo.report.ReportSections;
import dev.yieldloop.demo.trace.TraceCommand;

/**
 * The tour's {@code index.html}: the IO and CPU tables with their bar charts, the race, the traced timelines, the
 * loop snapshot, and "which tool for which job", all from the commands the tour just ran.
 */
public final class TourReport {

    /** The section ids, in page order. */
    public static final java.util.List<String> SECTIONS =
            java.util.List.of("io", "cpu", "race", "trace-table", "timelines", "snapshot", "which-tool");

    private TourReport() {}

    /**
     * Builds the report after the commands have run.
     *
     * @param io the IO command, after its call
     * @param cpu the CPU command, after its call
     * @param race the race command, after its call
     * @param trace the trace command, after its call
     * @param summary the "which tool for which job" text
     * @return the report, not yet written
     */
    public static HtmlReport build(IoCommand io, CpuCommand cpu, RaceCommand race, TraceCommand trace, String summary) {
        HtmlReport report = new HtmlReport("Yieldloop tour: concurrency in Java, measured on this machine");
        ReportSections.workload(
                report,
                "io",
                "IO-bound: downloads from a slow server",
                "Each strategy downloads the same pages; the ideal bound is the server's delay × ⌈N / downloads in"
                        + " flight⌉.",
                io.results(),
                io::idealBoundNanos);
        ReportSections.workload(
                report,
                "cpu",
                "CPU-bound: sums of squares",
                "Each strategy computes the same sums; the ideal bound is the sequential time ÷ the parallelism it"
                        + " can use.",
                cpu.results(),
                cpu::idealBoundNanos);
        ReportSections.race(report, race.results());
        trace.addSections(report);
        String snapshot = trace.runs().isEmpty() ? null : trace.runs().get(2).loopSnapshot();
        report.section(
                "snapshot",
                "Loop snapshot: the ready queue and the waiting set",
                "<p>Taken on the loop thread when half the traced downloads had finished.</p><pre>"
                        + HtmlReport.escape(
                                snapshot == null ? "(no snapshot: the event-loop run did not reach half)" : snapshot)
                        + "</pre>");
        report.section("which-tool", "Which tool for which job", "<pre>" + HtmlReport.escape(summary) + "</pre>");
        return report;
    }
}
