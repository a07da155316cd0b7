package dev.yieldloop.demo;

import dev.yieldloop.demo.cpu.CpuCommand;
import dev.yieldloop.demo.io.IoCommand;
import dev.yieldloop.demo.race.RaceCommand;
import dev.yieldloop.demo.server.ServerCommand;
import dev.yieldloop.demo.trace.TraceCommand;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The demo's entry point: {@code java -jar yieldloop-demo.jar [command]}. Without a command it runs the {@linkplain
 * TourCommand tour}.
 */
@Command(
        name = "yieldloop-demo",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {
            "Yieldloop's tour of concurrency in Java, after Real Python's \"Speed Up Your Python Program With"
                    + " Concurrency\".",
            "Without a command, runs the tour on an embedded slow-site server (no internet needed)."
        },
        subcommands = {
            TourCommand.class,
            IoCommand.class,
            CpuCommand.class,
            RaceCommand.class,
            TraceCommand.class,
            ServerCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Callable<Integer> {

    /** Exit code for bad input or environment (a {@link DemoException}). */
    public static final int EXIT_BAD_INPUT = 2;

    /** Exit code for an unexpected failure. */
    public static final int EXIT_FAILURE = 1;

    /** Created by picocli. */
    public Main() {}

    /**
     * Runs the demo and exits the JVM with its exit code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the demo without exiting: for tests.
     *
     * @param args the command line
     * @return the exit code: 0 on success, {@value #EXIT_BAD_INPUT} on bad input, {@value #EXIT_FAILURE} on failure
     */
    public static int run(String... args) {
        return run(new CommandLine(new Main()), args);
    }

    /**
     * Runs the demo without exiting, its output and errors going to the given writers: for tests.
     *
     * @param out standard output
     * @param err standard error
     * @param args the command line
     * @return the exit code, as for {@link #run(String...)}
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(new CommandLine(new Main()).setOut(out).setErr(err), args);
    }

    private static int run(CommandLine cli, String... args) {
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof DemoException) {
                commandLine.getErr().println("error: " + e.getMessage());
                return EXIT_BAD_INPUT;
            }
            commandLine.getErr().println("error: " + e);
            e.printStackTrace(commandLine.getErr());
            return EXIT_FAILURE;
        });
        return cli.execute(args);
    }

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        TourCommand tour = new TourCommand();
        new CommandLine(tour)
                .setOut(spec.commandLine().getOut())
                .setErr(spec.commandLine().getErr())
                .parseArgs();
        return tour.call();
    }

    /** Reports the demo's version and the JVM it runs on. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {
                "yieldloop-demo " + (v == null ? "(development build)" : v),
                "JVM: " + System.getProperty("java.vm.name") + " " + Runtime.version()
            };
        }
    }
}
