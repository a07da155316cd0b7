package dev.yieldloop.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Turns the {@code --strategies} list of a workload command into strategy instances, refusing unknown names. */
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
}
