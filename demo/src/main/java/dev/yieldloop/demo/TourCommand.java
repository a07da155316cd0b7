package dev.yieldloop.demo;

import dev.yieldloop.demo.io.IoCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code tour}, also what runs without a command: the article's sections in order on the embedded defaults, no
 * internet and no flags needed.
 */
@Command(
        name = "tour",
        mixinStandardHelpOptions = true,
        description = "Runs the whole tour on the embedded defaults: the IO-bound comparison (with a loop snapshot).")
public final class TourCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Created by picocli. */
    public TourCommand() {}

    @Override
    public Integer call() throws Exception {
        IoCommand io = new IoCommand();
        CommandLine ioLine = new CommandLine(io);
        if (spec != null) {
            ioLine.setOut(spec.commandLine().getOut());
            ioLine.setErr(spec.commandLine().getErr());
        }
        ioLine.parseArgs(); // the defaults
        io.printSnapshot(true);
        int status = io.call();
        return status;
    }
}
