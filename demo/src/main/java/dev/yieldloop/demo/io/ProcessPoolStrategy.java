package dev.yieldloop.demo.io;

import dev.yieldloop.EventLoop;
import dev.yieldloop.LoopOptions;
import dev.yieldloop.Promise;
import dev.yieldloop.process.ProcessPool;
import dev.yieldloop.process.ProcessPoolOptions;
import java.time.Duration;
import java.util.List;

/**
 * {@code process-pool}: the downloads are spread over worker processes, each making one blocking download at a time
 * ({@link DownloadJob}), the article's {@code io_mp.py}. It works, but each process is a whole JVM waiting on one socket:
 * the wall time is about ⌈N / P⌉ × delay plus the workers' start-up, no better than P threads and far behind the event
 * loop. Processes are for CPU work.
 */
public final class ProcessPoolStrategy implements IoStrategy {

    /** How long past its own download deadline a job may run before the pool kills its worker. */
    static final Duration JOB_DEADLINE_MARGIN = Duration.ofSeconds(5);

    /** Creates the strategy. */
    public ProcessPoolStrategy() {}

    @Override
    public String name() {
        return "process-pool";
    }

    @Override
    public int concurrency(IoSettings settings, int downloads) {
        return Math.min(settings.processes(), Math.max(1, downloads));
    }

    @Override
    public void run(List<HttpUrl> urls, IoSettings settings, DownloadLog log) throws Exception {
        if (urls.isEmpty()) {
            return;
        }
        ProcessPoolOptions defaults = ProcessPoolOptions.defaults();
        ProcessPoolOptions options = defaults.withWorkers(settings.processes())
                .withMaxQueuedJobs(Math.max(urls.size(), defaults.maxQueuedJobs())); // every URL queued at once
        Duration deadline = settings.timeout().plus(JOB_DEADLINE_MARGIN);
        try (EventLoop loop = new EventLoop(LoopOptions.defaults().withName("download-offload"));
                ProcessPool pool = ProcessPool.start(loop, options)) {
            int[] pending = {urls.size()};
            for (int i = 0; i < urls.size(); i++) {
                int index = i;
                String argument =
                        DownloadJob.argument(urls.get(i), settings.timeout().toNanos());
                Promise<long[]> result = pool.submit(DownloadJob.class, argument, deadline);
                result.onComplete(p -> {
                    if (p.isSucceeded()) {
                        log.succeeded(index, DownloadJob.toResult(p.result()));
                    } else {
                        log.failed(index, p.failure());
                    }
                    if (--pending[0] == 0) {
                        loop.stop();
                    }
                });
            }
            loop.run();
        }
    }
}
