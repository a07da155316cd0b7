import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Journal overhead, bounded and interleaved: the loop before the journal (main), this branch with the journal off, and
 * on (65,536 entries), each in its own class loader in one JVM, trial after trial in turn, so that load from other
 * processes hits all alike. A fourth variant runs the journal with a constant clock: the journal's cost without its
 * clock reads. Reports the minimum and median nanoseconds per yield of each. Usage: {@code Harness <jctools jar>
 * <rounds> <work dir> <main's loop classes> <this branch's loop classes>}; run.sh sets it up.
 */
public final class Harness {
    public static void main(String[] args) throws Exception {
        String jctools = args[0];
        int rounds = Integer.parseInt(args[1]);
        String work = args[2];
        int yields = 20_000;
        Method base = driver(work + "/base", args[3], jctools);
        Method branch = driver(work + "/branch", args[4], jctools);
        String[] names = {"main (no journal)", "journal off", "journal on (65,536)", "on, constant clock"};
        List<List<Double>> results = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int r = 0; r < rounds + 10; r++) { // the first 10 rounds warm the JIT and are dropped
            double[] t = {
                (double) base.invoke(null, yields, 0),
                (double) branch.invoke(null, yields, 0),
                (double) branch.invoke(null, yields, 65_536),
                (double) branch.invoke(null, yields, -65_536)
            };
            if (r >= 10) {
                for (int i = 0; i < 4; i++) {
                    results.get(i).add(t[i]);
                }
            }
        }
        double baseMin = min(results.get(0));
        double baseMedian = median(results.get(0));
        for (int i = 0; i < 4; i++) {
            double mn = min(results.get(i));
            double md = median(results.get(i));
            System.out.printf("%-20s min %7.1f ns/yield (%+5.1f %%)   median %7.1f ns/yield (%+5.1f %%)%n", names[i], mn,
                    100 * (mn / baseMin - 1), md, 100 * (md / baseMedian - 1));
        }
    }

    static Method driver(String dir, String loopClasses, String jctools) throws Exception {
        URL[] urls = {
            Path.of(dir).toUri().toURL(),
            Path.of(loopClasses).toUri().toURL(),
            Path.of(jctools).toUri().toURL()
        };
        ClassLoader cl = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
        return cl.loadClass("Driver").getMethod("trial", int.class, int.class);
    }

    static double min(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    }

    static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a[a.length / 2];
    }
}
