package dev.yieldloop.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rows of one bench run: printed as tables with Yieldloop's ratio against each peer, and written as JSON ({@code
 * {"machine":{…},"jdk":"…","date":"…","results":[…]}}, one row per benchmark × system × metric).
 *
 * <p>Not thread-safe: the bench's main thread only.
 */
public final class Report {

    private final List<Row> rows = new ArrayList<>();
    private final String date = Instant.now().toString();
    private final String command;

    /**
     * An empty report.
     *
     * @param command the command line that produced it, for the JSON
     */
    public Report(String command) {
        this.command = command;
    }

    /**
     * Adds rows.
     *
     * @param more the rows to add, in print order
     */
    public void addAll(List<Row> more) {
        rows.addAll(more);
    }

    /**
     * The rows so far.
     *
     * @return an unmodifiable copy
     */
    public List<Row> rows() {
        return List.copyOf(rows);
    }

    /**
     * Prints the rows as one table per benchmark and metric. A peer's ratio is how many times better the Yieldloop
     * row is than the peer: above 1 Yieldloop leads, below 1 the peer does (for throughput {@code yieldloop/peer},
     * for time and memory {@code peer/yieldloop}).
     *
     * @param out where to print
     * @param title the heading, e.g. {@code micro}
     * @param toPrint the rows to print
     */
    public static void printTable(PrintStream out, String title, List<Row> toPrint) {
        out.println();
        out.println("== " + title + " ==");
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        for (Row r : toPrint) {
            groups.computeIfAbsent(r.benchmark() + " / " + r.metric(), k -> new ArrayList<>())
                    .add(r);
        }
        for (Map.Entry<String, List<Row>> g : groups.entrySet()) {
            List<Row> refs = g.getValue().stream()
                    .filter(r -> r.system().startsWith("yieldloop") && r.value() != null && r.value() > 0)
                    .toList();
            Row first = g.getValue().get(0);
            out.printf(
                    Locale.ROOT,
                    "%s (%s, %s is better)%n",
                    g.getKey(),
                    first.unit(),
                    first.higherIsBetter() ? "higher" : "lower");
            for (Row r : g.getValue()) {
                StringBuilder ratio = new StringBuilder();
                if (r.value() != null && r.value() > 0 && !r.system().startsWith("yieldloop")) {
                    for (Row ref : refs) {
                        double x = r.higherIsBetter() ? ref.value() / r.value() : r.value() / ref.value();
                        if (ratio.length() > 0) {
                            ratio.append(", ");
                        }
                        ratio.append(ref.system()).append(String.format(Locale.ROOT, " x%.2f", x));
                    }
                }
                String value = r.value() == null ? r.status() : format(r.value());
                String error = r.error() == null ? "" : "± " + format(r.error());
                String note = r.reason() == null ? "" : "  [" + r.reason() + "]";
                out.printf(Locale.ROOT, "  %-24s %14s %12s  %-40s%s%n", r.system(), value, error, ratio, note);
            }
        }
        out.flush();
    }

    /**
     * Writes the report as JSON.
     *
     * @param file the file to (over)write
     * @throws IOException if it cannot be written
     */
    public void writeJson(Path file) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("machine", Machine.describe());
        root.put("jdk", Machine.jdk());
        root.put("date", date);
        root.put("command", command);
        List<Map<String, Object>> results = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("benchmark", r.benchmark());
            m.put("system", r.system());
            m.put("metric", r.metric());
            m.put("unit", r.unit());
            m.put("value", r.value());
            m.put("error", r.error());
            m.put("higherIsBetter", r.higherIsBetter());
            m.put("status", r.status());
            m.put("reason", r.reason());
            m.put("load", r.load());
            results.add(m);
        }
        root.put("results", results);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
    }

    static String format(double v) {
        double a = Math.abs(v);
        if (a >= 1e6) {
            return String.format(Locale.ROOT, "%.2f M", v / 1e6);
        } else if (a >= 1e4) {
            return String.format(Locale.ROOT, "%.1f k", v / 1e3);
        } else if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        } else {
            return String.format(Locale.ROOT, "%.2f", v);
        }
    }
}
