package dev.yieldloop.demo.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yieldloop.demo.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The {@code cpu} command as a user meets it: help, bad input, the table and the JSON shape. */
@Timeout(60)
class CpuCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void helpListsTheOptions() {
        assertThat(run("cpu", "--help")).isZero();
        assertThat(out.toString()).contains("--base", "--count", "--threads", "--processes", "--strategies", "--json");
    }

    @Test
    void badInputIsReportedWithAClearMessage() {
        assertThat(run("cpu", "--strategies", "sequential,gpu")).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("unknown strategy 'gpu'", "process-pool");
        assertThat(run("cpu", "--base", "-1")).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("--base must be >= 0");
        assertThat(run("cpu", "--processes", "0")).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("--processes must be in 1..64");
    }

    @Test
    void aSmallRunPrintsTheTableAndWritesTheJsonShapeWithOneChecksum() throws Exception {
        Path json = dir.resolve("cpu.json");
        int code = run(
                "cpu",
                "--base",
                "100000",
                "--count",
                "4",
                "--strategies",
                "sequential,threads,event-loop,process-pool",
                "--processes",
                "2",
                "--json",
                json.toString());
        assertThat(code).as(err.toString()).isZero();
        long[] sums = new long[4];
        for (int i = 0; i < 4; i++) {
            sums[i] = SumOfSquares.compute(100_000 + i);
        }
        String total = SumOfSquares.checksum(sums);
        assertThat(total).matches("[0-9a-f]{16}");
        assertThat(out.toString())
                .contains("on " + Runtime.getRuntime().availableProcessors() + " CPUs")
                .containsPattern("warming up the JIT: 400 calls, \\d+ ms")
                .contains("checksums: all 4 equal (" + total + ")")
                .containsPattern("process-pool: (2 worker JVMs were ready|the work was done before all 2 worker JVMs)");
        assertThat(Files.readString(json))
                .startsWith("{\"workload\":\"cpu\",\"params\":{\"base\":100000,\"count\":4,")
                .contains("{\"strategy\":\"process-pool\",\"wallMillis\":")
                .containsPattern("\"ok\":4,\"errors\":0,\"peakThreads\":\\d+,\"peakHeapBytes\":\\d+,\"checksum\":\""
                        + total + "\"");
    }
}
