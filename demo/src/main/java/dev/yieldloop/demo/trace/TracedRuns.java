package dev.yieldloop.demo.trace;

import dev.yieldloop.EventLoop;
import dev.yieldloop.LoopOptions;
import dev.yieldloop.Promise;
import dev.yieldloop.Task;
import dev.yieldloop.demo.io.HttpResult;
import dev.yieldloop.demo.io.HttpUrl;
import dev.yieldloop.demo.io.LoopDownload;
import dev.yieldloop.demo.io.UrlJob;
import dev.yieldloop.process.ProcessPool;
import dev.yieldloop.process.ProcessPoolOptions;
import dev.yieldloop.trace.ChromeTrace;
import dev.yieldloop.trace.TraceEvent;
import dev.yieldloop.trace.TraceJournal;
import dev.yieldloop.trace.TraceSnapshot;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The four traced runs of the {@code trace} command: the same downloads made sequentially, by a pool of threads, as
 * tasks on one event loop with its trace journal on, and by a pool of worker processes, each turned into a {@link
 * Timeline}. The thread runs note their milestones themselves; the event-loop and process-pool timelines are read from
 * the loop's journal.
 */
public final class TracedRuns {

    /** Journal capacity of the traced event loop, in entries: far more than 12 downloads write. */
    static final int JOURNAL_CAPACITY = 1 << 16;

    private TracedRuns() {}

    /**
     * The result of one traced run.
     *
     * @param timeline what it did
     * @param ok downloads that returned 2xx
     * @param errors downloads that failed
     * @param chromeTraceJson the loop's Chrome trace (event loop only), else null
     * @param loopSnapshot the loop's snapshot when half the downloads had finished (event loop only), else null
     */
    public record Run(Timeline timeline, int ok, int errors, String chromeTraceJson, String loopSnapshot) {}

    /**
     * Downloads every URL one after the other on the calling thread.
     *
     * @param urls the URLs
     * @param timeoutMillis per-download timeout, ms
     * @return the run
     */
    public static Run sequential(List<HttpUrl> urls, int timeoutMillis) {
        Timeline.LaneBuilder lane =
                new Timeline.LaneBuilder(Thread.currentThread().getName() + " thread");
        long origin = System.nanoTime();
        int ok = 0;
        for (int i = 0; i < urls.size(); i++) {
            ok += record(lane, i, urls.get(i), timeoutMillis, origin) ? 1 : 0;
        }
        long wall = System.nanoTime() - origin;
        return new Run(
                new Timeline(
                        "sequential",
                        wall,
                        "one thread: each download waits for the one before it",
                        List.of(lane.build())),
                ok,
                urls.size() - ok,
                null,
                null);
    }

    /**
     * Downloads the URLs with a fixed pool of platform threads, one lane per thread.
     *
     * @param urls the URLs
     * @param threads pool size
     * @param timeoutMillis per-download timeout, ms
     * @return the run
     * @throws Exception if the pool is interrupted
     */
    public static Run threads(List<HttpUrl> urls, int threads, int timeoutMillis) throws Exception {
        Map<Thread, Timeline.LaneBuilder> lanes = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            synchronized (lanes) {
                Thread t = new Thread(r, "worker-" + (lanes.size() + 1));
                lanes.put(t, new Timeline.LaneBuilder(t.getName() + " thread"));
                return t;
            }
        });
        long origin = System.nanoTime();
        List<Future<Boolean>> results = new ArrayList<>();
        try {
            for (int i = 0; i < urls.size(); i++) {
                int index = i;
                results.add(pool.submit(() -> {
                    Timeline.LaneBuilder lane;
                    synchronized (lanes) {
                        lane = lanes.get(Thread.currentThread());
                    }
                    // Each lane is written only by its own thread; the join below publishes it.
                    return record(lane, index, urls.get(index), timeoutMillis, origin);
                }));
            }
            int ok = 0;
            for (Future<Boolean> f : results) {
                ok += f.get(timeoutMillis + 10_000L, TimeUnit.MILLISECONDS) ? 1 : 0;
            }
            long wall = System.nanoTime() - origin;
            List<Timeline.Lane> built;
            synchronized (lanes) {
                built = lanes.values().stream().map(Timeline.LaneBuilder::build).toList();
            }
            return new Run(
                    new Timeline(
                            "threads",
                            wall,
                            threads + " platform threads, each blocked in its own read while"
                                    + " it waits; the OS switches between them",
                            built),
                    ok,
                    urls.size() - ok,
                    null,
                    null);
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static boolean record(Timeline.LaneBuilder lane, int index, HttpUrl url, int timeoutMillis, long origin) {
        try {
            TimedDownload d = TimedDownload.get(url, timeoutMillis);
            String label = url.target();
            lane.spans.add(new Timeline.Span(
                    d.startNanos() - origin,
                    d.sentNanos() - origin,
                    Timeline.SpanKind.RUNNING,
                    label + ": connect, send"));
            lane.spans.add(new Timeline.Span(
                    d.sentNanos() - origin,
                    d.firstByteNanos() - origin,
                    Timeline.SpanKind.WAITING,
                    label + ": blocked in read"));
            lane.spans.add(new Timeline.Span(
                    d.firstByteNanos() - origin,
                    d.doneNanos() - origin,
                    Timeline.SpanKind.RUNNING,
                    label + ": read, parse"));
            marks(
                    lane,
                    index,
                    d.startNanos() - origin,
                    d.sentNanos() - origin,
                    d.firstByteNanos() - origin,
                    d.doneNanos() - origin);
            return d.result().ok();
        } catch (Exception e) {
            return false;
        }
    }

    private static void marks(Timeline.LaneBuilder lane, int index, long start, long sent, long first, long done) {
        lane.marks.add(new Timeline.Mark(start, Timeline.MarkKind.START, index));
        lane.marks.add(new Timeline.Mark(sent, Timeline.MarkKind.SENT, index));
        lane.marks.add(new Timeline.Mark(first, Timeline.MarkKind.FIRST_BYTE, index));
        lane.marks.add(new Timeline.Mark(done, Timeline.MarkKind.DONE, index));
    }

    /**
     * Downloads the URLs as tasks on one event loop with its trace journal on, and reads the timeline back from the
     * journal: one lane for the loop thread with every task's steps, one lane per task with its waits.
     *
     * @param urls the URLs
     * @param timeoutMillis per-download deadline, ms
     * @return the run, with the loop's Chrome trace
     * @throws Exception if the host cannot be resolved
     */
    public static Run eventLoop(List<HttpUrl> urls, int timeoutMillis) throws Exception {
        try (EventLoop loop =
                new EventLoop(LoopOptions.defaults().withName("traced").withTrace(JOURNAL_CAPACITY))) {
            Map<Long, Integer> downloadOfTask = new HashMap<>();
            List<Promise<HttpResult>> all = new ArrayList<>();
            long origin = loop.nanoTime();
            for (int i = 0; i < urls.size(); i++) {
                HttpUrl url = urls.get(i);
                InetSocketAddress address = new InetSocketAddress(url.host(), url.port());
                Task<HttpResult> task = loop.spawn(
                        "download " + url.target(),
                        new LoopDownload(loop, url, address, Duration.ofMillis(timeoutMillis)));
                downloadOfTask.put(task.id(), i);
                all.add(task.promise());
            }
            String[] snapshot = new String[1];
            int[] finished = {0};
            for (Promise<HttpResult> p : all) {
                p.onComplete(x -> {
                    if (++finished[0] == (all.size() + 1) / 2) {
                        snapshot[0] = loop.snapshot().toString(); // mid-run: the ready queue and the waiting set
                    }
                });
            }
            Promise<List<HttpResult>> done = Promise.all(loop, all);
            done.onComplete(p -> loop.stop());
            loop.run();
            long wall = loop.nanoTime() - origin;
            int ok = (int)
                    all.stream().filter(p -> p.isSucceeded() && p.result().ok()).count();
            TraceJournal journal = loop.journal().orElseThrow();
            Timeline timeline = loopTimeline(journal.snapshot(), origin, wall, downloadOfTask);
            return new Run(
                    timeline, ok, urls.size() - ok, ChromeTrace.toJson(journal.snapshot(), "traced"), snapshot[0]);
        }
    }

    /** The loop thread's lane of steps, then one lane per task with its waits, from the journal. */
    static Timeline loopTimeline(TraceSnapshot snapshot, long origin, long wall, Map<Long, Integer> downloadOfTask) {
        Timeline.LaneBuilder loopLane = new Timeline.LaneBuilder("loop thread");
        Map<Long, Timeline.LaneBuilder> taskLanes = new LinkedHashMap<>();
        Map<Long, TraceEvent> open = new HashMap<>();
        Map<Long, Boolean> sentMarked = new HashMap<>();
        for (TraceEvent e : snapshot.events()) {
            Integer download = downloadOfTask.get(e.subject());
            if (!e.kind().name().startsWith("TASK_") || download == null) {
                continue;
            }
            long id = e.subject();
            long at = e.nanos() - origin;
            Timeline.LaneBuilder lane = taskLanes.computeIfAbsent(id, k -> new Timeline.LaneBuilder(e.label()));
            TraceEvent previous = open.put(id, e);
            if (previous != null) {
                long from = previous.nanos() - origin;
                if (previous.kind() == TraceEvent.Kind.TASK_RUNNING) {
                    loopLane.spans.add(new Timeline.Span(from, at, Timeline.SpanKind.RUNNING, lane.name));
                } else if (previous.kind() == TraceEvent.Kind.TASK_WAITING) {
                    lane.spans.add(
                            new Timeline.Span(from, at, Timeline.SpanKind.WAITING, "waiting: " + previous.label()));
                    if (previous.label().startsWith("readable") && !sentMarked.containsKey(-id)) {
                        sentMarked.put(-id, true);
                        lane.marks.add(new Timeline.Mark(at, Timeline.MarkKind.FIRST_BYTE, download));
                    }
                }
            }
            switch (e.kind()) {
                case TASK_RUNNING -> {
                    if (lane.marks.isEmpty()) {
                        lane.marks.add(new Timeline.Mark(at, Timeline.MarkKind.START, download));
                    }
                }
                case TASK_WAITING -> {
                    if (e.label().startsWith("readable") && sentMarked.putIfAbsent(id, true) == null) {
                        lane.marks.add(new Timeline.Mark(at, Timeline.MarkKind.SENT, download));
                    }
                }
                case TASK_DONE_VALUE, TASK_DONE_FAILED, TASK_DONE_CANCELLED ->
                    lane.marks.add(new Timeline.Mark(at, Timeline.MarkKind.DONE, download));
                default -> {}
            }
        }
        List<Timeline.Lane> lanes = new ArrayList<>();
        lanes.add(loopLane.build());
        taskLanes.values().forEach(l -> lanes.add(l.build()));
        return new Timeline(
                "event-loop",
                wall,
                "one loop thread runs every task's short steps (top lane); each task"
                        + " waits on its socket in the lanes below, all at once",
                lanes);
    }

    /**
     * Downloads the URLs in a pool of worker processes, one job per download; the lanes (one per worker pid) come
     * from the loop's journal, the milestones inside a job from the worker's own clock, placed from the dispatch.
     *
     * @param urls the URLs
     * @param workers worker processes
     * @param timeoutMillis per-download timeout, ms
     * @return the run
     * @throws Exception if the pool cannot start
     */
    public static Run processPool(List<HttpUrl> urls, int workers, int timeoutMillis) throws Exception {
        ProcessPoolOptions options = ProcessPoolOptions.defaults().withWorkers(workers);
        try (EventLoop loop = new EventLoop(
                        LoopOptions.defaults().withName("traced-pool").withTrace(JOURNAL_CAPACITY));
                ProcessPool pool = ProcessPool.start(loop, options)) {
            pool.ready().onComplete(p -> loop.stop());
            loop.run(); // workers start before the clock does, as the article's pool is created before map()
            long origin = loop.nanoTime();
            List<Promise<long[]>> all = new ArrayList<>();
            for (HttpUrl url : urls) {
                all.add(pool.submit(
                        TimedDownloadJob.class,
                        UrlJob.argument(url, TimeUnit.MILLISECONDS.toNanos(timeoutMillis)),
                        Duration.ofMillis(timeoutMillis + 10_000L)));
            }
            Promise.all(loop, all).onComplete(p -> loop.stop());
            loop.run();
            long wall = loop.nanoTime() - origin;
            Map<Long, Timeline.LaneBuilder> lanes = new LinkedHashMap<>();
            Map<Long, TraceEvent> dispatched = new HashMap<>();
            long firstJob = -1;
            for (TraceEvent e : loop.journal().orElseThrow().snapshot().events()) {
                if (e.kind() == TraceEvent.Kind.JOB_DISPATCHED) {
                    firstJob = firstJob < 0 ? e.subject() : firstJob;
                    dispatched.put(e.subject(), e);
                    lanes.computeIfAbsent(e.value(), pid -> new Timeline.LaneBuilder("worker pid " + pid));
                } else if (e.kind() == TraceEvent.Kind.JOB_DONE || e.kind() == TraceEvent.Kind.JOB_FAILED) {
                    TraceEvent d = dispatched.get(e.subject());
                    if (d == null) {
                        continue;
                    }
                    int index = (int) (e.subject() - firstJob);
                    long from = d.nanos() - origin;
                    Timeline.LaneBuilder lane = lanes.get(e.value());
                    lane.spans.add(new Timeline.Span(
                            from,
                            e.nanos() - origin,
                            Timeline.SpanKind.JOB,
                            urls.get(index).target()));
                    Promise<long[]> p = all.get(index);
                    if (p.isSucceeded()) {
                        long[] r = p.result();
                        marks(lane, index, from, from + r[3], from + r[4], Math.min(from + r[5], e.nanos() - origin));
                    }
                }
            }
            int ok = (int) all.stream()
                    .filter(p -> p.isSucceeded() && p.result()[0] / 100 == 2)
                    .count();
            return new Run(
                    new Timeline(
                            "process-pool",
                            wall,
                            workers + " worker processes, each blocked in its own download;"
                                    + " the parent's loop waits for their answers",
                            lanes.values().stream()
                                    .map(Timeline.LaneBuilder::build)
                                    .toList()),
                    ok,
                    urls.size() - ok,
                    null,
                    null);
        }
    }
}
