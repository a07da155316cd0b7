package dev.yieldloop.demo.report;

import dev.yieldloop.demo.trace.TimelineSvg;
import java.util.List;
import java.util.Locale;

/**
 * A horizontal bar chart, as inline SVG, of each strategy's wall time against its ideal bound (the time the
 * workload would take with perfect overlap: delay × ⌈N / concurrency⌉ for IO, or the work spread over the cores for
 * CPU). Thread-safe: stateless.
 */
public final class BarChartSvg {

    private BarChartSvg() {}

    /**
     * One bar.
     *
     * @param name the strategy
     * @param wallNanos measured wall time, ns
     * @param idealNanos its ideal bound, ns, or -1 when unknown
     */
    public record Bar(String name, long wallNanos, long idealNanos) {}

    /**
     * Thread-safe. The chart.
     *
     * @param title the chart's title
     * @param bars one per strategy, top to bottom
     * @return an {@code <svg>} element
     */
    public static String render(String title, List<Bar> bars) {
        int labelWidth = 130;
        int plotWidth = 560;
        int rowHeight = 30;
        int height = 40 + bars.size() * rowHeight + 24;
        long max = 1;
        for (Bar b : bars) {
            max = Math.max(max, Math.max(b.wallNanos(), b.idealNanos()));
        }
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(labelWidth + plotWidth + 120)
                .append("\" height=\"")
                .append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"12\" ")
                .append("role=\"img\"><title>")
                .append(TimelineSvg.escape(title))
                .append("</title>\n")
                .append("<text x=\"4\" y=\"16\" font-weight=\"bold\">")
                .append(TimelineSvg.escape(title))
                .append("</text>\n<rect x=\"")
                .append(labelWidth)
                .append("\" y=\"24\" width=\"12\" height=\"8\" ")
                .append("fill=\"#1f5f99\"/><text x=\"")
                .append(labelWidth + 16)
                .append("\" y=\"32\">wall time</text>")
                .append("<rect x=\"")
                .append(labelWidth + 100)
                .append("\" y=\"24\" width=\"12\" height=\"8\" ")
                .append("fill=\"#bbbbbb\"/><text x=\"")
                .append(labelWidth + 116)
                .append("\" y=\"32\">ideal bound</text>\n");
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            int y = 40 + i * rowHeight;
            s.append("<text x=\"4\" y=\"")
                    .append(y + 17)
                    .append("\">")
                    .append(TimelineSvg.escape(b.name()))
                    .append("</text>\n");
            if (b.idealNanos() >= 0) {
                s.append("<rect x=\"")
                        .append(labelWidth)
                        .append("\" y=\"")
                        .append(y + 16)
                        .append("\" width=\"")
                        .append(width(b.idealNanos(), max, plotWidth))
                        .append("\" height=\"8\" fill=\"#bbbbbb\"/>\n");
            }
            s.append("<rect x=\"")
                    .append(labelWidth)
                    .append("\" y=\"")
                    .append(y + 4)
                    .append("\" width=\"")
                    .append(width(b.wallNanos(), max, plotWidth))
                    .append("\" height=\"12\" fill=\"#1f5f99\"/>\n");
            s.append("<text x=\"")
                    .append(labelWidth + width(b.wallNanos(), max, plotWidth) + 6)
                    .append("\" y=\"")
                    .append(y + 15)
                    .append("\">")
                    .append(String.format(Locale.ROOT, "%.0f ms", b.wallNanos() / 1e6))
                    .append(
                            b.idealNanos() >= 0
                                    ? String.format(Locale.ROOT, " (ideal %.0f)", b.idealNanos() / 1e6)
                                    : "")
                    .append("</text>\n");
        }
        return s.append("</svg>").toString();
    }

    private static String width(long nanos, long max, int plotWidth) {
        return String.format(Locale.ROOT, "%.1f", Math.max(1.0, plotWidth * (double) nanos / max));
    }
}
