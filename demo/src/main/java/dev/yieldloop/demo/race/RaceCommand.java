package dev.yieldloop.demo.race;

import dev.yieldloop.Coroutine;
import dev.yieldloop.EventLoop;
import dev.yieldloop.LoopOptions;
import dev.yieldloop.Step;
import dev.yieldloop.demo.DemoException;
import dev.yieldloop.demo.report.HtmlReport;
import dev.yieldloop.demo.report.Json;
import dev.yieldloop.demo.report.OutputOptions;
import dev.yieldloop.demo.report.ReportSections;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code race}: the article's lost-update counter. W workers each add 1 to a shared counter N times, three ways:
 *
 * <ol>
 *   <li>{@code plain-threads}: platform threads doing the article's {@code counter += 1} on a shared {@code long}
 *       field with no lock. The increment is a read, an add and a write; two threads that read the same value both
 *       write value + 1, and one update is lost. The field is {@code volatile} so that every increment really reads
 *       and writes memory, as Python's does: on a plain field the JIT may keep the counter in a register for the
 *       whole loop and store it once at the end, and then the threads on a busy machine rarely overlap at all, which
 *       hides the race instead of removing it. {@code volatile} orders and publishes each read and write; it does not
 *       make the pair indivisible;
 *   <li>{@code atomic-threads}: the same threads calling {@link AtomicLong#incrementAndGet()}, one indivisible
 *       read-modify-write (a CPU {@code lock xadd}): nothing is lost, at the price of contention on one cache line;
 *   <li>{@code event-loop}: the same increments as tasks on one loop thread, each yielding every {@value
 *       #INCREMENTS_PER_TURN} increments. Tasks switch only at marked points, and no marked point falls between the
 *       read and the write, so nothing is lost without any lock.
 * </ol>
 *
 * <p>Lost updates are a matter of timing. The plain version is run up to {@code --attempts} times until one run loses
 * an update, and the command says how many runs that took. When none did, it says the runs were lucky: a run that
 * loses nothing proves nothing, and the plain version is never called exact.
 */
@Command(
        name = "race",
        mixinStandardHelpOptions = true,
        description = {
            "Race condition: workers add 1 to a shared counter, with counter += 1 from threads (updates get lost), with"
                    + " an AtomicLong from threads, and as tasks on one event loop (nothing lost, no lock)."
        })
public final class RaceCommand implements Callable<Integer> {

    /** Increments an event-loop task makes per turn before it yields. */
    static final int INCREMENTS_PER_TURN = 1_000;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--workers",
            defaultValue = "8",
            description = "Threads, or tasks, incrementing the counter (default: ${DEFAULT-VALUE}; more threads than"
                    + " cores means more switches, so more chances to lose an update).")
    int workers;

    @Option(
            names = "--increments",
            defaultValue = "1000000",
            description = "Increments per worker (default: ${DEFAULT-VALUE}).")
    int increments;

    @Option(
            names = "--attempts",
            defaultValue = "10",
            description = "Most runs of the plain-field version while looking for a lost update"
                    + " (default: ${DEFAULT-VALUE}).")
    int attempts;

    @Mixin
    OutputOptions output = new OutputOptions();

    private List<Result> results = List.of();

    /** Created by picocli. */
    public RaceCommand() {}

    /**
     * One version's count.
     *
     * @param strategy {@code plain-threads}, {@code atomic-threads} or {@code event-loop}
     * @param expected workers × increments
     * @param actual what the counter held at the end
     * @param runs how many runs this took (the plain version repeats until it loses an update)
     */
    public record Result(String strategy, long expected, long actual, int runs) {

        /**
         * Updates lost.
         *
         * @return {@code expected - actual}
         */
        public long lost() {
            return expected - actual;
        }

        /**
         * Whether the strategy cannot lose an update whatever the timing: true for {@code atomic-threads} and {@code
         * event-loop}; false for {@code plain-threads}, whose zero losses in a run are luck.
         *
         * @return true when no update can be lost by construction
         */
        public boolean safeByConstruction() {
            return !strategy.equals("plain-threads");
        }
    }

    /**
     * The results of the last {@link #call()}, for the tour's summary.
     *
     * @return plain, atomic, event-loop; empty before a run
     */
    public List<Result> results() {
        return results;
    }

    @Override
    public Integer call() throws Exception {
        if (workers < 1 || workers > 1024) {
            throw new DemoException("--workers must be in 1..1024, got " + workers);
        }
        if (increments < 1) {
            throw new DemoException("--increments must be >= 1, got " + increments);
        }
        if (attempts < 1) {
            throw new DemoException("--attempts must be >= 1, got " + attempts);
        }
        PrintWriter out = spec == null
                ? new PrintWriter(System.out, true)
                : spec.commandLine().getOut();
        long expected = (long) workers * increments;
        out.println("Race condition: " + workers + " workers each add 1 to a shared counter " + increments
                + " times (expected total " + expected + ")");
        results = new ArrayList<>();
        Result plain = null;
        for (int run = 1; run <= attempts; run++) {
            plain = new Result("plain-threads", expected, plainThreads(), run);
            if (plain.lost() > 0) {
                break;
            }
        }
        results.add(plain);
        results.add(new Result("atomic-threads", expected, atomicThreads(), 1));
        results.add(new Result("event-loop", expected, eventLoopTasks(), 1));
        out.println();
        out.println(String.format(Locale.ROOT, "%-15s %14s %14s %12s", "strategy", "expected", "actual", "lost"));
        out.println("-".repeat(58));
        for (Result r : results) {
            out.println(String.format(
                    Locale.ROOT, "%-15s %14d %14d %12d", r.strategy(), r.expected(), r.actual(), r.lost()));
        }
        out.println();
        out.println(plainVerdict(plain, attempts, workers));
        out.println("atomic-threads: exact: incrementAndGet is one indivisible read-modify-write, so no update can"
                + " fall between another's read and write.");
        out.println("event-loop:     exact without a lock: one thread runs the tasks, and a task gives up the thread"
                + " only at a marked point (here a yield every " + INCREMENTS_PER_TURN + " increments), never"
                + " between a read and its write.");
        out.flush();
        if (output.jsonFile() != null) {
            writeJson(output.jsonFile());
            out.println("wrote " + output.jsonFile());
        }
        if (output.reportDir() != null) {
            HtmlReport report = new HtmlReport("Yieldloop: race condition");
            ReportSections.race(report, results);
            out.println("wrote " + report.write(output.reportDir()));
        }
        return 0;
    }

    /**
     * What the plain version's result means. Never "exact": a run of unsynchronised threads that loses nothing was
     * lucky, and says so.
     *
     * @param plain the plain version's result
     * @param attempts how many runs were allowed
     * @param workers how many threads raced
     * @return one line for the report
     */
    static String plainVerdict(Result plain, int attempts, int workers) {
        if (plain.lost() > 0) {
            return "plain-threads:  lost " + plain.lost() + " updates"
                    + (plain.runs() > 1 ? " (on run " + plain.runs() + " of up to " + attempts + ")" : "")
                    + ": counter += 1 is read, add, write, and two threads that read the same value both write"
                    + " value + 1.";
        }
        if (workers == 1) {
            return "plain-threads:  lost nothing: one worker has nobody to race with.";
        }
        return "plain-threads:  lost nothing in " + attempts + " run" + (attempts == 1 ? "" : "s")
                + ", and that is luck, not correctness: counter += 1 is still a read, an add and a write, and this"
                + " time no thread happened to be switched out, or to run alongside another, between a read and its"
                + " write. A run that loses nothing proves nothing; more --workers or --attempts make the loss show.";
    }

    /**
     * The counter the plain version shares, with no lock on purpose. Volatile so that each {@code += 1} is a real read
     * and a real write of memory (see the class comment); that does not make the two one step.
     */
    private volatile long plainCounter;

    private long plainThreads() throws InterruptedException {
        plainCounter = 0;
        runThreads(() -> {
            for (int i = 0; i < increments; i++) {
                plainCounter += 1; // read, add, write: another thread may write in between -- not atomic
            }
        });
        return plainCounter; // join() makes every thread's last write visible here
    }

    private long atomicThreads() throws InterruptedException {
        AtomicLong counter = new AtomicLong();
        runThreads(() -> {
            for (int i = 0; i < increments; i++) {
                counter.incrementAndGet();
            }
        });
        return counter.get();
    }

    /** Starts the workers together (a latch) so that they overlap, and waits for all of them. */
    private void runThreads(Runnable body) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < workers; t++) {
            Thread thread = new Thread(
                    () -> {
                        try {
                            start.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                        body.run();
                    },
                    "race-" + t);
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
    }

    private long eventLoopTasks() {
        long[] counter = {0};
        try (EventLoop loop = new EventLoop(LoopOptions.defaults().withName("race"))) {
            int[] pending = {workers};
            for (int t = 0; t < workers; t++) {
                loop.spawn("incrementer " + t, new Coroutine<Void>() {
                            private int done;

                            @Override
                            public Step<Void> resume() {
                                int turn = Math.min(INCREMENTS_PER_TURN, increments - done);
                                for (int i = 0; i < turn; i++) {
                                    counter[0] += 1; // read, add, write: no marked point in between
                                }
                                done += turn;
                                return done == increments ? Step.done(null) : Step.yieldNow();
                            }
                        })
                        .promise()
                        .onComplete(p -> {
                            if (--pending[0] == 0) {
                                loop.stop();
                            }
                        });
            }
            loop.run();
        }
        return counter[0];
    }

    private void writeJson(Path file) throws DemoException {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("workers", workers);
        params.put("increments", increments);
        params.put("attempts", attempts);
        params.put("cpus", Runtime.getRuntime().availableProcessors());
        List<Object> list = new ArrayList<>();
        for (Result r : results) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("strategy", r.strategy());
            m.put("expected", r.expected());
            m.put("actual", r.actual());
            m.put("runs", r.runs());
            list.add(m);
        }
        Json.writeWorkload(file, "race", params, list);
    }
}
