package dev.yieldloop.demo.strategy;

import dev.yieldloop.Coroutine;
import dev.yieldloop.EventLoop;
import dev.yieldloop.LoopOptions;
import dev.yieldloop.LoopSnapshot;
import dev.yieldloop.Promise;
import dev.yieldloop.sync.Semaphore;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code event-loop}: every item is a task on one Yieldloop thread, the article's {@code asyncio.gather} of its tasks,
 * driven by {@link EventLoop#runUntilComplete} over {@link Promise#all} ({@code asyncio.run}). The tasks take turns at
 * their marked points.
 *
 * <p>On a waiting workload (downloads) the marked points are connect, write and each read; while every task waits, the
 * loop blocks in one {@code select} for all their sockets: one thread, N items in flight. On a computing workload
 * there is no gain, by design: the tasks take turns on one thread, so the total work is the same as sequential plus a
 * little switching (the article's {@code asyncio} version of the CPU workload).
 *
 * <p>With {@code --limit K} each task first takes a permit of a {@link Semaphore} of K ({@code async with semaphore:}
 * in asyncio), so at most K are in flight and the rest wait their turn FIFO; a task's deadline starts when it holds its
 * permit.
 */
public final class EventLoopStrategy implements Strategy {

    /** Snapshot lines of each state shown before "… and N more". */
    static final int SNAPSHOT_LINES_PER_STATE = 4;

    /** Creates the strategy. */
    public EventLoopStrategy() {}

    @Override
    public String name() {
        return "event-loop";
    }

    @Override
    public int concurrency(StrategySettings settings, int items) {
        int all = Math.max(1, items);
        return settings.limit() > 0 ? Math.min(settings.limit(), all) : all;
    }

    /** One thread computes, however many tasks are in flight. */
    @Override
    public int parallelism(StrategySettings settings) {
        return 1;
    }

    @Override
    public <R> void run(Workload<R> workload, StrategySettings settings) throws Exception {
        if (workload.size() == 0) {
            return;
        }
        Workload.TaskForm<R> form = workload.taskForm(); // before the loop runs: it may block
        try (EventLoop loop = new EventLoop(LoopOptions.defaults().withName(workload.name()))) {
            Semaphore inFlight = // --limit K: at most K tasks past their permit, the rest wait FIFO
                    settings.limit() > 0 ? new Semaphore(loop, settings.limit(), workload.unit() + " in flight") : null;
            Runnable afterEach = settings.snapshotOut() == null
                    ? () -> {}
                    : new HalfwaySnapshot(loop, workload, settings.snapshotOut());
            List<Promise<Void>> recorded = new ArrayList<>(workload.size());
            for (int i = 0; i < workload.size(); i++) {
                Coroutine<R> body = form.task(loop, i);
                Promise<R> result = loop.spawn(form.taskName(i), inFlight == null ? body : inFlight.withPermit(body))
                        .promise();
                recorded.add(workload.recordWhenDone(i, result, afterEach));
            }
            loop.runUntilComplete(Promise.all(loop, recorded));
        }
    }

    /**
     * Prints the loop's snapshot once, when half the items have finished: mid-run, the tasks woken with this one are
     * READY and the rest WAITING. Loop thread only.
     */
    private static final class HalfwaySnapshot implements Runnable {
        private final EventLoop loop;
        private final int items;
        private final String unit;
        private final PrintWriter out;
        private int finished;
        private boolean printed;

        HalfwaySnapshot(EventLoop loop, Workload<?> workload, PrintWriter out) {
            this.loop = loop;
            this.items = workload.size();
            this.unit = workload.unit();
            this.out = out;
        }

        @Override
        public void run() {
            finished++;
            if (!printed && items - finished <= items / 2) {
                printed = true;
                printSnapshot(loop.snapshot(), unit, out);
            }
        }
    }

    /** Prints the snapshot's summary line and a few tasks of each state: the queues a reader should see. */
    static void printSnapshot(LoopSnapshot snapshot, String unit, PrintWriter out) {
        String[] lines = snapshot.toString().split("\n");
        out.println("  loop snapshot when half the " + unit + " had finished (the ready queue and the waiting set):");
        out.println("    " + lines[0]);
        printSome(out, snapshot.ready());
        printSome(out, snapshot.waiting());
    }

    private static void printSome(PrintWriter out, List<LoopSnapshot.TaskInfo> tasks) {
        for (int i = 0; i < Math.min(SNAPSHOT_LINES_PER_STATE, tasks.size()); i++) {
            out.println("      " + tasks.get(i));
        }
        if (tasks.size() > SNAPSHOT_LINES_PER_STATE) {
            out.println("      … and " + (tasks.size() - SNAPSHOT_LINES_PER_STATE) + " more "
                    + tasks.get(0).state());
        }
    }
}
