package dev.yieldloop.bench;

import dev.yieldloop.bench.micro.MicroCommand;
import dev.yieldloop.bench.net.ConnsBench;
import dev.yieldloop.bench.net.LoadCommand;
import dev.yieldloop.bench.net.NetBench;
import dev.yieldloop.bench.net.ServeCommand;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The bench's entry point: {@code java -jar bench/target/yieldloop-bench.jar micro|echo|http|conns|all [--quick]
 * [--jdk-info] [--json FILE]}. Each subcommand prints a table per benchmark with Yieldloop's ratio against each peer;
 * {@code --json} writes every row.
 *
 * <p>Not thread-safe: the main thread.
 */
@Command(
        name = "yieldloop-bench",
        mixinStandardHelpOptions = true,
        description = "Yieldloop measured against Netty, virtual threads, platform threads and nginx in one run.",
        subcommands = {
            Main.Micro.class,
            Main.Echo.class,
            Main.Http.class,
            Main.Conns.class,
            Main.All.class,
            ServeCommand.class,
            LoadCommand.class,
            ChartsCommand.class
        })
public final class Main implements Runnable {

    /** Created by picocli. */
    public Main() {}

    /**
     * Runs the bench.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** The options every measuring subcommand takes. Not thread-safe. */
    public static final class Common {
        @Option(
                names = "--quick",
                description = "A smoke run in well under a minute; its figures are not to be quoted.")
        boolean quick;

        @Option(names = "--jdk-info", description = "Print the JDK, its VM arguments and its GCs first.")
        boolean jdkInfo;

        @Option(names = "--json", paramLabel = "FILE", description = "Also write every row to FILE as JSON.")
        Path json;

        /** Created by picocli. */
        public Common() {}
    }

    /** How one part measures. */
    @FunctionalInterface
    interface Body {
        List<Row> run(boolean quick, PrintStream out) throws Exception;
    }

    /**
     * One part of a run, printed as one section.
     *
     * @param title the section's name
     * @param body what it measures
     */
    record Part(String title, Body body) {}

    /** Base of the measuring subcommands: header, parts, tables, JSON. Not thread-safe. */
    abstract static class Measuring implements Callable<Integer> {
        @Mixin
        Common common;

        abstract String name();

        abstract List<Part> parts();

        @Override
        public Integer call() throws Exception {
            long t0 = System.nanoTime();
            PrintStream out = System.out;
            if (common.jdkInfo) {
                out.println(Machine.jdkInfo());
            }
            String command = "java -jar bench/target/yieldloop-bench.jar " + name() + (common.quick ? " --quick" : "")
                    + (common.json != null ? " --json " + common.json : "");
            out.println("yieldloop-bench " + name() + (common.quick ? " --quick (smoke run)" : "") + " on JDK "
                    + Machine.jdk() + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, load "
                    + Machine.loadavg());
            Report report = new Report(command);
            List<String> titles = new ArrayList<>();
            List<List<Row>> sections = new ArrayList<>();
            for (Part part : parts()) {
                List<Row> rows = part.body().run(common.quick, out);
                report.addAll(rows);
                sections.add(rows);
                titles.add(part.title());
            }
            for (int i = 0; i < sections.size(); i++) {
                Report.printTable(out, titles.get(i), sections.get(i));
            }
            if (common.json != null) {
                report.writeJson(common.json);
                out.println("wrote " + common.json);
            }
            out.printf("yieldloop-bench %s took %.1f s%n", name(), (System.nanoTime() - t0) / 1e9);
            return report.rows().stream().anyMatch(r -> r.status().equals("failed")) ? 1 : 0;
        }
    }

    private static final Part MICRO = new Part("micro", MicroCommand::run);
    private static final Part ECHO = new Part("echo", (quick, out) -> new NetBench(quick, out).echo());
    private static final Part HTTP = new Part("http", (quick, out) -> new NetBench(quick, out).http());
    private static final Part CONNS = new Part("conns", (quick, out) -> new ConnsBench(quick, out).run());

    /** {@code micro}. */
    @Command(name = "micro", mixinStandardHelpOptions = true, description = "JMH micro benchmarks and heap per task.")
    static final class Micro extends Measuring {
        @Override
        String name() {
            return "micro";
        }

        @Override
        List<Part> parts() {
            return List.of(MICRO);
        }
    }

    /** {@code echo}. */
    @Command(name = "echo", mixinStandardHelpOptions = true, description = "TCP echo, 100 connections x 64 B.")
    static final class Echo extends Measuring {
        @Override
        String name() {
            return "echo";
        }

        @Override
        List<Part> parts() {
            return List.of(ECHO);
        }
    }

    /** {@code http}. */
    @Command(name = "http", mixinStandardHelpOptions = true, description = "HTTP/1.1 at 100 and 1000 connections.")
    static final class Http extends Measuring {
        @Override
        String name() {
            return "http";
        }

        @Override
        List<Part> parts() {
            return List.of(HTTP);
        }
    }

    /** {@code conns}. */
    @Command(name = "conns", mixinStandardHelpOptions = true, description = "Heap and RSS per idle connection.")
    static final class Conns extends Measuring {
        @Override
        String name() {
            return "conns";
        }

        @Override
        List<Part> parts() {
            return List.of(CONNS);
        }
    }

    /** {@code all}. */
    @Command(name = "all", mixinStandardHelpOptions = true, description = "micro, echo, http and conns in one run.")
    static final class All extends Measuring {
        @Override
        String name() {
            return "all";
        }

        @Override
        List<Part> parts() {
            return List.of(MICRO, ECHO, HTTP, CONNS);
        }
    }
}
