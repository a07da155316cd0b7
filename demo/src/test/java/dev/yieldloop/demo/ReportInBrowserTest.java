package dev.yieldloop.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yieldloop.demo.cpu.CpuCommand;
import dev.yieldloop.demo.io.IoCommand;
import dev.yieldloop.demo.race.RaceCommand;
import dev.yieldloop.demo.trace.TraceCommand;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The tour's report, built from small real runs of io, cpu, race and trace, opened in headless Chromium: the
 * screenshot is not blank and the DOM holds every section, its tables, charts and timelines.
 */
class ReportInBrowserTest {

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void theReportRendersInABrowserWithEverySection(@TempDir Path dir) throws Exception {
        Chromium chromium = Chromium.find();
        if (chromium == null) {
            System.out.println("ReportInBrowserTest skipped: no chromium on the PATH (.ci/run installs Debian's"
                    + " 'chromium' package)");
        }
        Assumptions.assumeTrue(chromium != null, "no chromium on the PATH");

        IoCommand io = new IoCommand();
        run(io, "--requests", "6", "--strategies", "sequential,threads,event-loop");
        CpuCommand cpu = new CpuCommand();
        run(cpu, "--count", "4", "--base", "2000000", "--strategies", "sequential,threads,event-loop");
        RaceCommand race = new RaceCommand();
        run(race, "--workers", "2", "--increments", "1000", "--attempts", "1");
        TraceCommand trace = new TraceCommand();
        trace.writeIndex(false);
        run(trace, "--requests", "4", "--out", dir.toString());
        String summary = TourSummary.render(io.results(), cpu.results(), race.results());
        Path index = TourReport.build(io, cpu, race, trace, summary).write(dir);

        String dom = chromium.dumpDom(index);
        for (String id : TourReport.SECTIONS) {
            assertThat(dom).as("section " + id).contains("<section id=\"" + id + "\">");
        }
        assertThat(dom)
                .contains(
                        "<table>",
                        "wall time against the ideal bound",
                        "id=\"timeline-event-loop\"",
                        "loop thread",
                        "Which tool for which job",
                        "waiting");

        Path png = dir.resolve("report.png");
        chromium.screenshot(index, png, 1100, 2400);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1100);
        Set<Integer> colours = new HashSet<>();
        long notWhite = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                if (rgb != 0xffffff) {
                    notWhite++;
                }
            }
        }
        long sampled = (long) (image.getWidth() / 2) * (image.getHeight() / 2);
        assertThat(colours.size()).as("distinct colours: text, bars, spans").isGreaterThan(20);
        assertThat(notWhite).as("pixels drawn").isGreaterThan(sampled / 50);
    }

    private static void run(Object command, String... args) {
        StringWriter err = new StringWriter();
        int status = new CommandLine(command)
                .setOut(new PrintWriter(new StringWriter(), true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        assertThat(status).as(err.toString()).isZero();
    }
}
