package dev.yieldloop.demo.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yieldloop.demo.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cpu --report DIR} and {@code race --report DIR} write a self-contained index.html with their section. */
class ReportOptionTest {

    @Test
    void cpuAndRaceWriteTheirReport(@TempDir Path dir) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path cpuDir = dir.resolve("cpu");
        int status = Main.run(
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                "cpu",
                "--count",
                "3",
                "--base",
                "1000000",
                "--strategies",
                "sequential,event-loop",
                "--report",
                cpuDir.toString());
        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString()).contains("wrote " + cpuDir.resolve("index.html"));
        String cpuHtml = Files.readString(cpuDir.resolve("index.html"), StandardCharsets.UTF_8);
        assertThat(cpuHtml)
                .contains("<section id=\"cpu\">", "<td>sequential</td>", "<td>event-loop</td>", "<svg")
                .doesNotContain("<script");

        Path raceDir = dir.resolve("race");
        status = Main.run(
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                "race",
                "--workers",
                "2",
                "--increments",
                "1000",
                "--attempts",
                "1",
                "--report",
                raceDir.toString());
        assertThat(status).as(err.toString()).isZero();
        assertThat(Files.readString(raceDir.resolve("index.html"), StandardCharsets.UTF_8))
                .contains("<section id=\"race\">", "<td>atomic-threads</td><td>2000</td><td>2000</td><td>0</td>");
    }
}
