package dev.yieldloop.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI smoke: the shaded jar runs {@code all --quick --json FILE} once; every benchmark executes and the JSON parses
 * with one row per benchmark x system x metric. No figure is checked: a timing is never asserted.
 */
class BenchSmokeIT {

    /** Every benchmark and the systems it must have a row for (measured, or skipped with a reason). */
    private static final Map<String, List<String>> EXPECTED = Map.ofEntries(
            Map.entry("yield", List.of("yieldloop", "virtual-threads")),
            Map.entry("spawn-complete", List.of("yieldloop", "virtual-threads")),
            Map.entry("promise-chain-map", List.of("yieldloop", "completable-future")),
            Map.entry("timer-schedule-fire", List.of("yieldloop", "netty-loop-schedule", "netty-hashed-wheel-timer")),
            Map.entry("execute-cross-thread", List.of("yieldloop", "netty", "jctools-mpsc-drain")),
            Map.entry("submit-round-trip", List.of("yieldloop", "netty")),
            Map.entry("heap-per-idle-task", List.of("yieldloop", "virtual-threads")),
            Map.entry("heap-per-sleeping-task", List.of("yieldloop", "virtual-threads")),
            Map.entry("echo", List.of("yieldloop", "netty", "virtual-threads", "platform-threads")),
            Map.entry("http-hello-c100", List.of("yieldloop-hello", "netty-hello", "nginx-hello")),
            Map.entry("http-10k-page-c100", List.of("yieldloop-slow-site", "nginx-static-file")),
            Map.entry(
                    "idle-conns-200",
                    List.of(
                            "yieldloop-slow-site",
                            "yieldloop-hello",
                            "yieldloop-echo",
                            "netty-hello",
                            "virtual-threads-echo",
                            "platform-threads-echo",
                            "nginx")));

    @Test
    void allQuickRunsEveryBenchmarkAndWritesAParsableRowPerSystem(@TempDir Path dir)
            throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("bench.jar", "target/yieldloop-bench.jar"));
        assertThat(jar).exists();
        Path json = dir.resolve("bench.json");
        Path log = dir.resolve("bench.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-jar", jar.toString(), "all", "--quick", "--json", json.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean ended = p.waitFor(180, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(log);
        assertThat(ended)
                .as("all --quick ended within 180 s; output:%n%s", output)
                .isTrue();
        assertThat(p.exitValue()).as("exit code; output:%n%s", output).isZero();
        assertThat(output).contains("== micro ==", "== echo ==", "== http ==", "== conns ==");

        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.get("jdk").asText()).isNotBlank();
        assertThat(root.get("date").asText()).isNotBlank();
        assertThat(root.get("machine").get("cpus").asInt()).isPositive();

        Map<String, Set<String>> seen = new HashMap<>();
        List<String> problems = new ArrayList<>();
        Set<String> unique = new HashSet<>();
        for (JsonNode r : root.get("results")) {
            String bench = r.get("benchmark").asText();
            String system = r.get("system").asText();
            String status = r.get("status").asText();
            String key = bench + "/" + system + "/" + r.get("metric").asText();
            if (!unique.add(key)) {
                problems.add("duplicate row " + key);
            }
            seen.computeIfAbsent(bench, k -> new HashSet<>()).add(system);
            assertThat(r.get("unit").asText()).as(key).isNotBlank();
            switch (status) {
                case "ok" -> {
                    if (!r.get("value").isNumber()
                            || Double.isNaN(r.get("value").asDouble())) {
                        problems.add(key + " has no numeric value");
                    }
                }
                case "skipped" -> {
                    String reason = r.get("reason").asText();
                    boolean vt = system.startsWith("virtual-threads")
                            && Runtime.version().feature() < 21;
                    boolean nginx = system.startsWith("nginx") && reason.contains("nginx is not installed");
                    if (!vt && !nginx) {
                        problems.add(key + " skipped without an accepted reason: " + reason);
                    }
                }
                default ->
                    problems.add(key + " " + status + ": " + r.get("reason").asText());
            }
        }
        for (Map.Entry<String, List<String>> e : EXPECTED.entrySet()) {
            assertThat(seen).as("benchmark %s ran", e.getKey()).containsKey(e.getKey());
            assertThat(seen.get(e.getKey())).as("systems of %s", e.getKey()).containsAll(e.getValue());
        }
        assertThat(problems).as("output:%n%s", output).isEmpty();
    }
}
