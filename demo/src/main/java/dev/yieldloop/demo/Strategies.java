package dev.yieldloop.demo;

import dev.yieldloop.demo.report.StrategyResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the workload commands share about their strategies: turning {@code --strategies} into instances, refusing
 * unknown names, and announcing each one as it starts or is skipped.
 */
public final class Strategies {

    private Strategies() {}

    /**
     * The strategies named, in the order given, each a new instance.
     *
     * @param names the names from the command line (surrounding blanks ignored)
     * @param known every strategy of the workload by name, in table order
     * @param <T> the workload's strategy type
     * @return one new strategy per name
     * @throws DemoException for an unknown name, listing the known ones
     */
    public static <T> List<T> choose(List<String> names, Map<String, Supplier<T>> known) throws DemoException {
        List<T> chosen = new ArrayList<>();
        for (String name : names) {
            Supplier<T> make = known.get(name.strip());
            if (make == null) {
                throw new DemoException(
                        "unknown strategy '" + name + "'; choose from " + String.join(",", known.keySet()));
            }
            chosen.add(make.get());
        }
        return chosen;
    }

    /**
     * Announces a strategy about to run, or that it cannot run here: the line every workload command prints before
     * each strategy.
     *
     * @param out where the command prints
     * @param name the strategy's name
     * @param unavailableReason why it cannot run on this JVM, or null when it can
     * @return the skipped result to record when {@code unavailableReason} is set; null when the strategy should run
     */
    public static StrategyResult announce(PrintWriter out, String name, String unavailableReason) {
        out.println("  " + name + (unavailableReason == null ? " …" : ": skipped (" + unavailableReason + ")"));
        out.flush();
        return unavailableReason == null ? null : StrategyResult.skipped(name, unavailableReason);
    }
}
