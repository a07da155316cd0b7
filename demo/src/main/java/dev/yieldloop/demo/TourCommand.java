package dev.yieldloop.demo;

import dev.yieldloop.demo.cpu.CpuCommand;
import dev.yieldloop.demo.io.IoCommand;
import dev.yieldloop.demo.race.RaceCommand;
import dev.yieldloop.demo.report.LoadMeter;
import dev.yieldloop.demo.trace.TraceCommand;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tour}, also what runs without a command: the article's sections in order on the embedded defaults, no
 * internet and no flags needed: {@code io} (with a loop snapshot mid-run), {@code cpu}, {@code race}, {@code trace}
 * (the timelines), then the "which tool for which job" summary built from the numbers just measured, and a
 * self-contained report of it all in {@code --report DIR} (default {@code yieldloop-report/}).
 */
@Command(
        name = "tour",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the whole tour on the embedded defaults: the IO-bound comparison (with a loop snapshot), the CPU-bound"
                    + " comparison, the race condition, and a summary of which tool suits which job.",
            "Takes about a minute on 2 cores; each section is also a command of its own (io, cpu, race, trace).",
            "Ends by writing a self-contained report, yieldloop-report/index.html, and printing its path."
        })
public final class TourCommand implements Callable<Integer> {

    @Option(
            names = "--report",
            defaultValue = "yieldloop-report",
            paramLabel = "DIR",
            description = "Where the report goes: DIR/index.html, the timelines and the Chrome trace (default:"
                    + " ${DEFAULT-VALUE}).")
    Path reportDir;

    @Spec
    CommandSpec spec;

    /** Created by picocli. */
    public TourCommand() {}

    /**
     * Runs the four sections on their defaults, then prints the summary and writes the report.
     *
     * @return the worst exit code of the sections: 0 when every one succeeded
     * @throws Exception if a section breaks
     */
    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec == null
                ? new PrintWriter(System.out, true)
                : spec.commandLine().getOut();
        out.println(header());
        IoCommand io = new IoCommand();
        io.printSnapshot(true);
        LoadMeter ioMeter = LoadMeter.start();
        int status = section("1/4", io, out);
        LoadMeter.Load ioLoad = ioMeter.stop();
        CpuCommand cpu = new CpuCommand();
        LoadMeter cpuMeter = LoadMeter.start();
        status = Math.max(status, section("2/4", cpu, out));
        LoadMeter.Load cpuLoad = cpuMeter.stop();
        RaceCommand race = new RaceCommand();
        status = Math.max(status, section("3/4", race, out));
        TraceCommand trace = new TraceCommand();
        trace.writeIndex(false);
        status = Math.max(status, section("4/4", trace, out, "--out", reportDir.toString()));
        String summary = TourSummary.render(io.results(), cpu.results(), race.results(), ioLoad, cpuLoad);
        out.println();
        out.println(summary);
        Path index = TourReport.build(io, cpu, race, trace, summary).write(reportDir);
        out.println();
        out.println("report: " + index.toAbsolutePath() + " (open it in a browser; no network needed)");
        out.flush();
        return status;
    }

    /** The machine, the JDK, and how straight-line task bodies run here ({@code EventLoop.asyncMode()}). */
    static String header() {
        String bodies = dev.yieldloop.AsyncMode.continuationsAvailable()
                ? "continuations on the loop thread"
                : "a baton between threads (" + dev.yieldloop.AsyncMode.whyNoContinuations() + ")";
        return "Yieldloop tour on JDK " + Runtime.version() + ", "
                + Runtime.getRuntime().availableProcessors() + " cores; straight-line task bodies run as " + bodies;
    }

    /** Runs one section's command on its defaults, with this command's output and error writers. */
    private int section(String number, Callable<Integer> command, PrintWriter out, String... args) throws Exception {
        CommandLine line = new CommandLine(command);
        if (spec != null) {
            line.setOut(spec.commandLine().getOut());
            line.setErr(spec.commandLine().getErr());
        }
        line.parseArgs(args); // the defaults, but for where files go
        out.println();
        out.println("== " + number + " " + line.getCommandName() + " " + "=".repeat(60));
        out.flush();
        return command.call();
    }
}
