package dev.yieldloop.demo;

import dev.yieldloop.demo.cpu.CpuCommand;
import dev.yieldloop.demo.io.IoCommand;
import dev.yieldloop.demo.race.RaceCommand;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code tour}, also what runs without a command: the article's sections in order on the embedded defaults, no
 * internet and no flags needed: {@code io} (with a loop snapshot mid-run), {@code cpu}, {@code race}, then the "which
 * tool for which job" summary built from the numbers just measured.
 */
@Command(
        name = "tour",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the whole tour on the embedded defaults: the IO-bound comparison (with a loop snapshot), the CPU-bound"
                    + " comparison, the race condition, and a summary of which tool suits which job.",
            "Takes about a minute on 2 cores; each section is also a command of its own (io, cpu, race)."
        })
public final class TourCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Created by picocli. */
    public TourCommand() {}

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec == null
                ? new PrintWriter(System.out, true)
                : spec.commandLine().getOut();
        out.println(header());
        IoCommand io = new IoCommand();
        io.printSnapshot(true);
        int status = section("1/3", io, out);
        CpuCommand cpu = new CpuCommand();
        status = Math.max(status, section("2/3", cpu, out));
        RaceCommand race = new RaceCommand();
        status = Math.max(status, section("3/3", race, out));
        out.println();
        out.println(TourSummary.render(io.results(), cpu.results(), race.results()));
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
    private int section(String number, Callable<Integer> command, PrintWriter out) throws Exception {
        CommandLine line = new CommandLine(command);
        if (spec != null) {
            line.setOut(spec.commandLine().getOut());
            line.setErr(spec.commandLine().getErr());
        }
        line.parseArgs(); // the defaults
        out.println();
        out.println("== " + number + " " + line.getCommandName() + " " + "=".repeat(60));
        out.flush();
        return command.call();
    }
}
