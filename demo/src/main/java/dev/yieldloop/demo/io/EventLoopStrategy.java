package dev.yieldloop.demo.io;

import dev.yieldloop.Coroutine;
import dev.yieldloop.EventLoop;
import dev.yieldloop.LoopOptions;
import dev.yieldloop.LoopSnapshot;
import dev.yieldloop.Task;
import dev.yieldloop.sync.Semaphore;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code event-loop}: every download is a task ({@link LoopDownload}) on one Yieldloop thread, the article's {@code
 * asyncio.gather} of {@code aiohttp} downloads. The tasks take turns at their marked points (connect, write, each read);
 * while all of them wait, the loop blocks in one {@code select} for all their sockets. One thread, N downloads in flight.
 *
 * <p>With {@code --limit K} each download first takes a permit of a {@link Semaphore} of K ({@code async with
 * semaphore:} in asyncio), so at most K are in flight and the rest wait their turn FIFO; a download's deadline starts
 * when it holds its permit.
 */
public final class EventLoopStrategy implements IoStrategy {

    /** Snapshot lines of each state shown before "… and N more". */
    static final int SNAPSHOT_LINES_PER_STATE = 4;

    /** Creates the strategy. */
    public EventLoopStrategy() {}

    @Override
    public String name() {
        return "event-loop";
    }

    @Override
    public int concurrency(IoSettings settings, int downloads) {
        int all = Math.max(1, downloads);
        return settings.limit() > 0 ? Math.min(settings.limit(), all) : all;
    }

    @Override
    public void run(List<HttpUrl> urls, IoSettings settings, DownloadLog log) throws UnknownHostException {
        if (urls.isEmpty()) {
            return;
        }
        Map<String, InetAddress> resolved = new HashMap<>(); // DNS blocks, so it is done before the loop runs
        for (HttpUrl url : urls) {
            if (!resolved.containsKey(url.host())) {
                resolved.put(url.host(), InetAddress.getByName(url.host()));
            }
        }
        try (EventLoop loop = new EventLoop(LoopOptions.defaults().withName("downloads"))) {
            Semaphore inFlight = // --limit K: at most K downloads past their permit, the rest wait FIFO
                    settings.limit() > 0 ? new Semaphore(loop, settings.limit(), "downloads in flight") : null;
            int[] pending = {urls.size()};
            boolean[] snapshotPrinted = {settings.snapshotOut() == null};
            for (int i = 0; i < urls.size(); i++) {
                int index = i;
                HttpUrl url = urls.get(i);
                InetSocketAddress address = new InetSocketAddress(resolved.get(url.host()), url.port());
                Coroutine<HttpResult> download = new LoopDownload(loop, url, address, settings.timeout());
                Task<HttpResult> task = loop.spawn(
                        "download " + url.target(), inFlight == null ? download : inFlight.withPermit(download));
                task.promise().onComplete(p -> {
                    if (p.isSucceeded()) {
                        log.succeeded(index, p.result());
                    } else {
                        log.failed(index, p.failure());
                    }
                    --pending[0];
                    if (!snapshotPrinted[0] && pending[0] <= urls.size() / 2) {
                        snapshotPrinted[0] = true; // mid-run: tasks woken with this one are READY, the rest WAITING
                        printSnapshot(loop.snapshot(), settings.snapshotOut());
                    }
                    if (pending[0] == 0) {
                        loop.stop();
                    }
                });
            }
            loop.run();
        }
    }

    /** Prints the snapshot's summary line and a few tasks of each state: the queues a reader should see. */
    static void printSnapshot(LoopSnapshot snapshot, PrintWriter out) {
        String[] lines = snapshot.toString().split("\n");
        out.println("  loop snapshot when half the downloads had finished (the ready queue and the waiting set):");
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
