package dev.yieldloop.demo.trace;

import java.util.Locale;

/**
 * Draws a {@link Timeline} as a standalone SVG document: a title with the wall time, a legend, one row per lane
 * (running spans dark, waiting spans light, process jobs green, milestones as ticks) and a time axis in milliseconds.
 * Timelines drawn with the same {@code axisNanos} share one scale, so they can be compared by eye.
 *
 * <p>Plain text output: no library, no script, no external reference (an SVG opens anywhere, and inlines into HTML).
 * Thread-safe: stateless.
 */
public final class TimelineSvg {

    /** Width of the drawing, in pixels. */
    static final int WIDTH = 1000;

    static final int LABEL_WIDTH = 190;
    static final int PLOT_WIDTH = WIDTH - LABEL_WIDTH - 20;
    static final int LANE_HEIGHT = 16;
    static final int TOP = 58;

    /** Span colours, by kind. */
    static final String RUNNING = "#1f5f99";

    static final String WAITING = "#f5c26b";
    static final String JOB = "#5f9e4f";

    private TimelineSvg() {}

    /**
     * Thread-safe. The SVG text.
     *
     * @param t the timeline
     * @param axisNanos the time the axis spans, in nanoseconds (at least the timeline's own wall time)
     * @return an {@code <svg>} element with an XML namespace, ready to write to a file or inline in HTML
     */
    public static String render(Timeline t, long axisNanos) {
        long axis = Math.max(axisNanos, Math.max(1, t.wallNanos()));
        int height = TOP + t.lanes().size() * LANE_HEIGHT + 40;
        StringBuilder s = new StringBuilder(16_384);
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(WIDTH)
                .append("\" height=\"")
                .append(height)
                .append("\" viewBox=\"0 0 ")
                .append(WIDTH)
                .append(' ')
                .append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"11\" role=\"img\">\n");
        s.append("<title>").append(escape(t.strategy())).append(" timeline</title>\n");
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        s.append("<text x=\"8\" y=\"16\" font-size=\"14\" font-weight=\"bold\">")
                .append(escape(t.strategy()))
                .append(": ")
                .append(millis(t.wallNanos()))
                .append(" ms</text>\n");
        s.append("<text x=\"8\" y=\"31\" fill=\"#444\">")
                .append(escape(t.caption()))
                .append("</text>\n");
        legend(s, 8, 46);
        for (int i = 0; i < t.lanes().size(); i++) {
            Timeline.Lane lane = t.lanes().get(i);
            int y = TOP + i * LANE_HEIGHT;
            if (i % 2 == 1) {
                s.append("<rect x=\"0\" y=\"")
                        .append(y)
                        .append("\" width=\"")
                        .append(WIDTH)
                        .append("\" height=\"")
                        .append(LANE_HEIGHT)
                        .append("\" fill=\"#f4f4f4\"/>\n");
            }
            s.append("<text x=\"8\" y=\"")
                    .append(y + 12)
                    .append("\">")
                    .append(escape(shorten(lane.name())))
                    .append("</text>\n");
            for (Timeline.Span span : lane.spans()) {
                double x0 = x(span.fromNanos(), axis);
                double w = Math.max(1, x(span.toNanos(), axis) - x0);
                String fill = switch (span.kind()) {
                    case RUNNING -> RUNNING;
                    case WAITING -> WAITING;
                    case JOB -> JOB;
                };
                s.append("<rect x=\"")
                        .append(fmt(x0))
                        .append("\" y=\"")
                        .append(y + 2)
                        .append("\" width=\"")
                        .append(fmt(w))
                        .append("\" height=\"")
                        .append(LANE_HEIGHT - 4)
                        .append("\" fill=\"")
                        .append(fill)
                        .append("\"><title>")
                        .append(escape(span.label()))
                        .append(": ")
                        .append(millis(span.fromNanos()))
                        .append("–")
                        .append(millis(span.toNanos()))
                        .append(" ms</title></rect>\n");
            }
            for (Timeline.Mark mark : lane.marks()) {
                double x = x(mark.atNanos(), axis);
                line(s, fmt(x), fmt(x), y, y + LANE_HEIGHT, markColour(mark.kind()))
                        .append("\" stroke-width=\"1.5\"/>\n");
            }
        }
        axis(s, TOP + t.lanes().size() * LANE_HEIGHT + 4, axis);
        s.append("</svg>\n");
        return s.toString();
    }

    private static void legend(StringBuilder s, int x, int y) {
        String[][] items = {
            {RUNNING, "running on the thread"},
            {WAITING, "waiting for the network"},
            {JOB, "job in a worker process"},
        };
        int at = x;
        for (String[] item : items) {
            s.append("<rect x=\"")
                    .append(at)
                    .append("\" y=\"")
                    .append(y - 9)
                    .append("\" width=\"12\" height=\"10\" fill=\"")
                    .append(item[0])
                    .append("\"/><text x=\"")
                    .append(at + 16)
                    .append("\" y=\"")
                    .append(y)
                    .append("\">")
                    .append(item[1])
                    .append("</text>\n");
            at += 30 + item[1].length() * 6;
        }
        for (Timeline.MarkKind k : Timeline.MarkKind.values()) {
            line(s, String.valueOf(at), String.valueOf(at), y - 10, y + 1, markColour(k))
                    .append("\" stroke-width=\"2\"/><text x=\"")
                    .append(at + 5)
                    .append("\" y=\"")
                    .append(y)
                    .append("\">")
                    .append(markName(k))
                    .append("</text>\n");
            at += 20 + markName(k).length() * 6;
        }
    }

    private static void axis(StringBuilder s, int y, long axis) {
        line(s, String.valueOf(LABEL_WIDTH), String.valueOf(LABEL_WIDTH + PLOT_WIDTH), y, y, "#000")
                .append("\"/>\n");
        long stepMillis = niceStep(axis / 1_000_000.0 / 8);
        for (long ms = 0; ms * 1_000_000 <= axis; ms += stepMillis) {
            double x = x(ms * 1_000_000, axis);
            line(s, fmt(x), fmt(x), y, y + 5, "#000")
                    .append("\"/><text x=\"")
                    .append(fmt(x))
                    .append("\" y=\"")
                    .append(y + 17)
                    .append("\" text-anchor=\"middle\">")
                    .append(ms)
                    .append("</text>\n");
        }
        s.append("<text x=\"")
                .append(LABEL_WIDTH - 8)
                .append("\" y=\"")
                .append(y + 17)
                .append("\" text-anchor=\"end\">time (ms)</text>\n");
    }

    /**
     * Appends an SVG line's start, up to and including its stroke colour; the caller closes the attribute and the
     * element.
     */
    private static StringBuilder line(StringBuilder s, String x1, String x2, int y1, int y2, String stroke) {
        return s.append("<line x1=\"")
                .append(x1)
                .append("\" x2=\"")
                .append(x2)
                .append("\" y1=\"")
                .append(y1)
                .append("\" y2=\"")
                .append(y2)
                .append("\" stroke=\"")
                .append(stroke);
    }

    static long niceStep(double rough) {
        long[] steps = {1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000};
        for (long step : steps) {
            if (step >= rough) {
                return step;
            }
        }
        return 100_000;
    }

    static String markColour(Timeline.MarkKind k) {
        return switch (k) {
            case START -> "#000000";
            case SENT -> "#8e44ad";
            case FIRST_BYTE -> "#d62728";
            case DONE -> "#2ca02c";
        };
    }

    static String markName(Timeline.MarkKind k) {
        return switch (k) {
            case START -> "start";
            case SENT -> "request sent";
            case FIRST_BYTE -> "first byte";
            case DONE -> "done";
        };
    }

    private static double x(long nanos, long axis) {
        return LABEL_WIDTH + PLOT_WIDTH * (double) Math.max(0, nanos) / axis;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }

    private static String shorten(String name) {
        return name.length() <= 30 ? name : name.substring(0, 29) + "…";
    }

    /**
     * Thread-safe. Escapes text for XML content and attribute values.
     *
     * @param text any text
     * @return the text with {@code & < > " '} escaped
     */
    public static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
