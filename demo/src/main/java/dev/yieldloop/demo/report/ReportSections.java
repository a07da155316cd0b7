package dev.yieldloop.demo.report;

import dev.yieldloop.demo.race.RaceCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The report sections of each workload: its table as HTML and a bar chart of wall time against the ideal bound per
 * strategy. One place, so {@code io}, {@code cpu}, {@code race} and the tour write the same sections.
 */
public final class ReportSections {

    private ReportSections() {}

    /**
     * Adds a workload's table and bar chart.
     *
     * @param report the report
     * @param id the section id, e.g. {@code io}
     * @param heading the heading
     * @param intro one sentence saying what ran, plain text
     * @param results the strategy results, in run order
     * @param idealBoundNanos the ideal bound per strategy, -1 when unknown
     */
    public static void workload(
            HtmlReport report,
            String id,
            String heading,
            String intro,
            List<StrategyResult> results,
            ToLongFunction<String> idealBoundNanos) {
        List<BarChartSvg.Bar> bars = new ArrayList<>();
        for (StrategyResult r : results) {
            if (!r.skipped()) {
                bars.add(new BarChartSvg.Bar(r.strategy(), r.wallNanos(), idealBoundNanos.applyAsLong(r.strategy())));
            }
        }
        report.section(
                id,
                heading,
                "<p>" + HtmlReport.escape(intro) + "</p>\n"
                        + HtmlReport.table(results, idealBoundNanos) + "\n"
                        + BarChartSvg.render(heading + ": wall time against the ideal bound", bars));
    }

    /**
     * Adds the race's table.
     *
     * @param report the report
     * @param results plain, atomic and event-loop results
     */
    public static void race(HtmlReport report, List<RaceCommand.Result> results) {
        StringBuilder t = new StringBuilder("<p>Workers add 1 to a shared counter; updates lost show a data race.</p>\n"
                + "<table>\n<tr><th>strategy</th><th>expected</th><th>actual</th><th>lost</th><th>runs</th></tr>\n");
        for (RaceCommand.Result r : results) {
            t.append("<tr><td>")
                    .append(HtmlReport.escape(r.strategy()))
                    .append("</td><td>")
                    .append(r.expected())
                    .append("</td><td>")
                    .append(r.actual())
                    .append("</td><td>")
                    .append(r.lost())
                    .append("</td><td>")
                    .append(r.runs())
                    .append("</td></tr>\n");
        }
        report.section("race", "Race condition", t.append("</table>").toString());
    }
}
