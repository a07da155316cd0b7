package dev.yieldloop.demo.io;

import dev.yieldloop.Coroutine;
import dev.yieldloop.EventLoop;
import dev.yieldloop.Promise;
import dev.yieldloop.demo.strategy.Tally;
import dev.yieldloop.demo.strategy.Workload;
import dev.yieldloop.process.ProcessPool;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The article's IO-bound workload as a {@link Workload}: one download per URL, each with its own deadline, every
 * outcome recorded in a {@link DownloadLog}. Its three forms share one HTTP/1.1 parser ({@link HttpResponseParser}), so
 * the strategies differ only in how they wait:
 *
 * <ul>
 *   <li>blocking: a {@link BlockingHttpClient} per session, kept alive across its downloads (the article's {@code
 *       requests.Session});
 *   <li>task: a {@link LoopDownload} per URL, on the loop thread with non-blocking reads (the article's {@code aiohttp});
 *   <li>process job: a {@link DownloadJob} per URL, each worker process with one kept-alive client (the article's
 *       {@code io_mp.py}).
 * </ul>
 *
 * <p>Threading: thread-safe (the log is).
 */
public final class Downloads implements Workload<HttpResult>, Tally {

    /** How long past its own download deadline a process job may run before the pool kills its worker. */
    static final Duration JOB_DEADLINE_MARGIN = Duration.ofSeconds(5);

    private final List<HttpUrl> urls;
    private final Duration timeout;
    private final DownloadLog log;

    /**
     * Creates the workload of one run.
     *
     * @param urls the URLs, by index
     * @param timeout each download's deadline, from its start to its last body byte
     * @param log where outcomes go, sized for {@code urls}
     * @throws IllegalArgumentException if the timeout is not positive
     */
    public Downloads(List<HttpUrl> urls, Duration timeout, DownloadLog log) {
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        this.urls = List.copyOf(urls);
        this.timeout = timeout;
        this.log = log;
    }

    @Override
    public String name() {
        return "downloads";
    }

    @Override
    public String unit() {
        return "downloads";
    }

    @Override
    public int size() {
        return urls.size();
    }

    /** A blocking client of the session's own, kept alive across its downloads. */
    @Override
    public Session<HttpResult> openSession() {
        BlockingHttpClient client = new BlockingHttpClient();
        return new Session<>() {
            @Override
            public HttpResult run(int index) throws Exception {
                return client.get(urls.get(index), timeout.toNanos());
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }

    /** Resolves every host first (DNS blocks, so it is done before the loop runs), then one {@link LoopDownload} each. */
    @Override
    public TaskForm<HttpResult> taskForm() throws UnknownHostException {
        Map<String, InetAddress> resolved = new HashMap<>();
        for (HttpUrl url : urls) {
            if (!resolved.containsKey(url.host())) {
                resolved.put(url.host(), InetAddress.getByName(url.host()));
            }
        }
        return new TaskForm<>() {
            @Override
            public String taskName(int index) {
                return "download " + urls.get(index).target();
            }

            @Override
            public Coroutine<HttpResult> task(EventLoop loop, int index) {
                HttpUrl url = urls.get(index);
                InetSocketAddress address = new InetSocketAddress(resolved.get(url.host()), url.port());
                return new LoopDownload(loop, url, address, timeout);
            }
        };
    }

    /** A {@link DownloadJob}, which the pool kills {@link #JOB_DEADLINE_MARGIN} after the download's own deadline. */
    @Override
    public Promise<HttpResult> submit(ProcessPool pool, int index) {
        String argument = UrlJob.argument(urls.get(index), timeout.toNanos());
        return pool.submit(DownloadJob.class, argument, timeout.plus(JOB_DEADLINE_MARGIN))
                .map(DownloadJob::toResult);
    }

    @Override
    public void succeeded(int index, HttpResult result) {
        log.succeeded(index, result);
    }

    @Override
    public void failed(int index, Throwable failure) {
        log.failed(index, failure);
    }

    @Override
    public long ok() {
        return log.ok();
    }

    @Override
    public long errors() {
        return log.errors();
    }

    @Override
    public String checksum() {
        return log.checksum();
    }

    @Override
    public String firstError() {
        return log.firstError(urls);
    }
}
