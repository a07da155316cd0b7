package dev.yieldloop.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code charts} (hidden): one PNG bar chart (XChart) per benchmark and metric of a bench JSON report, for {@code
 * docs/benchmarks.md}. Skipped and failed rows are left out; a group with fewer than two measured rows gets no chart.
 *
 * <p>Not thread-safe: the main thread.
 */
@Command(name = "charts", hidden = true, description = "PNG charts from a bench JSON report.")
public final class ChartsCommand implements Callable<Integer> {

    @Option(names = "--json", required = true, paramLabel = "FILE", description = "the report to chart")
    Path json;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "where the PNGs go")
    Path outDir;

    @Option(names = "--prefix", defaultValue = "bench", description = "file name prefix (default: ${DEFAULT-VALUE})")
    String prefix;

    @Option(
            names = "--markdown",
            paramLabel = "FILE",
            description = "also write every group as a Markdown table (value, spread, Yieldloop's ratio per peer)")
    Path markdown;

    /** Created by picocli. */
    public ChartsCommand() {}

    @Override
    public Integer call() throws IOException {
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        if (markdown != null) {
            Files.writeString(markdown, MarkdownTables.render(root));
            System.out.println("wrote " + markdown);
        }
        Map<String, List<JsonNode>> groups = new LinkedHashMap<>();
        for (JsonNode r : root.get("results")) {
            if (r.get("status").asText().equals("ok")) {
                groups.computeIfAbsent(
                                r.get("benchmark").asText() + "_"
                                        + r.get("metric").asText(),
                                k -> new ArrayList<>())
                        .add(r);
            }
        }
        Files.createDirectories(outDir);
        String jdk = root.get("jdk").asText().split("\\s+")[0];
        for (Map.Entry<String, List<JsonNode>> g : groups.entrySet()) {
            if (g.getValue().size() < 2) {
                continue;
            }
            JsonNode first = g.getValue().get(0);
            String unit = first.get("unit").asText();
            String better = first.get("higherIsBetter").asBoolean() ? "higher is better" : "lower is better";
            CategoryChart chart = new CategoryChartBuilder()
                    .width(640)
                    .height(360)
                    .title(g.getKey().replace('_', ' ') + " (JDK " + jdk + ")")
                    .yAxisTitle(unit + ", " + better)
                    .build();
            chart.getStyler().setLegendVisible(false);
            chart.getStyler().setXAxisLabelRotation(20);
            List<String> systems = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            for (JsonNode r : g.getValue()) {
                systems.add(r.get("system").asText());
                values.add(r.get("value").asDouble());
            }
            chart.addSeries(g.getKey(), systems, values);
            Path file = outDir.resolve(prefix + "-" + g.getKey() + ".png");
            BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
            System.out.println("wrote " + file);
        }
        return 0;
    }
}
