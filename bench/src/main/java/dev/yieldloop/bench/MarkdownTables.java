package dev.yieldloop.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A bench JSON report as Markdown: one table per benchmark and metric, with the value, its spread, the status or
 * note, the load before the measurement, and how many times better each Yieldloop row is than each peer (above 1:
 * Yieldloop leads).
 *
 * <p>Thread-safe (stateless).
 */
final class MarkdownTables {

    private MarkdownTables() {}

    static String render(JsonNode root) {
        Map<String, List<JsonNode>> groups = new LinkedHashMap<>();
        for (JsonNode r : root.get("results")) {
            groups.computeIfAbsent(
                            r.get("benchmark").asText() + " / "
                                    + r.get("metric").asText(),
                            k -> new ArrayList<>())
                    .add(r);
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, List<JsonNode>> g : groups.entrySet()) {
            JsonNode first = g.getValue().get(0);
            boolean higher = first.get("higherIsBetter").asBoolean();
            List<JsonNode> refs = new ArrayList<>();
            for (JsonNode r : g.getValue()) {
                if (r.get("system").asText().startsWith("yieldloop") && measured(r)) {
                    refs.add(r);
                }
            }
            sb.append("**")
                    .append(g.getKey())
                    .append("** (")
                    .append(first.get("unit").asText())
                    .append(", ")
                    .append(higher ? "higher" : "lower")
                    .append(" is better)\n\n");
            sb.append("| system | value | ± | Yieldloop ÷ peer | note | load before |\n");
            sb.append("| --- | ---: | ---: | --- | --- | --- |\n");
            for (JsonNode r : g.getValue()) {
                String system = r.get("system").asText();
                String value = measured(r)
                        ? Report.format(r.get("value").asDouble())
                        : r.get("status").asText();
                String error =
                        r.get("error").isNumber() ? Report.format(r.get("error").asDouble()) : "";
                StringBuilder ratio = new StringBuilder();
                if (measured(r) && !system.startsWith("yieldloop")) {
                    double v = r.get("value").asDouble();
                    for (JsonNode ref : refs) {
                        double x = higher
                                ? ref.get("value").asDouble() / v
                                : v / ref.get("value").asDouble();
                        if (ratio.length() > 0) {
                            ratio.append("; ");
                        }
                        ratio.append(ref.get("system").asText()).append(String.format(Locale.ROOT, " **%.2f×**", x));
                    }
                }
                String note = r.get("reason").isNull() ? "" : r.get("reason").asText();
                String load = r.get("load").isNull() ? "" : r.get("load").asText();
                sb.append("| ")
                        .append(system)
                        .append(" | ")
                        .append(value)
                        .append(" | ")
                        .append(error)
                        .append(" | ")
                        .append(ratio)
                        .append(" | ")
                        .append(note)
                        .append(" | ")
                        .append(load)
                        .append(" |\n");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static boolean measured(JsonNode r) {
        return r.get("status").asText().equals("ok")
                && r.get("value").isNumber()
                && r.get("value").asDouble() > 0;
    }
}
