package dev.yieldloop.demo.io;

import dev.yieldloop.demo.report.Progress;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The outcome of every download of one run, by URL index: a {@link HttpResult} or the failure. Strategies record into
 * it from any thread; the command reads it after the run.
 *
 * <p>The checksum digests, in URL order, each download's status, body size and body CRC-32 (SHA-256, first 16 hex
 * digits), so it does not depend on the order downloads finished in and equals across strategies that fetched the same
 * bodies.
 *
 * <p>Threading: thread-safe.
 */
public final class DownloadLog {

    private final AtomicReferenceArray<Object> outcomes;
    private final Progress progress;

    /**
     * Creates an empty log.
     *
     * @param downloads how many downloads the run makes
     * @param progress told of each recorded outcome
     */
    public DownloadLog(int downloads, Progress progress) {
        this.outcomes = new AtomicReferenceArray<>(downloads);
        this.progress = progress;
    }

    /**
     * Thread-safe. Records the response of download {@code index}; a non-2xx status counts as an error.
     *
     * @param index the URL's index
     * @param result what came back
     */
    public void succeeded(int index, HttpResult result) {
        outcomes.set(index, result);
        progress.step();
    }

    /**
     * Thread-safe. Records that download {@code index} failed.
     *
     * @param index the URL's index
     * @param failure why
     */
    public void failed(int index, Throwable failure) {
        outcomes.set(index, failure);
        progress.step();
    }

    /**
     * Thread-safe. Downloads that returned a 2xx status.
     *
     * @return a count
     */
    public long ok() {
        long n = 0;
        for (int i = 0; i < outcomes.length(); i++) {
            if (outcomes.get(i) instanceof HttpResult r && r.ok()) {
                n++;
            }
        }
        return n;
    }

    /**
     * Thread-safe. Downloads that failed, returned a non-2xx status, or never finished.
     *
     * @return a count
     */
    public long errors() {
        return outcomes.length() - ok();
    }

    /**
     * Thread-safe. The first error, for the report.
     *
     * @param urls the run's URLs, by index
     * @return e.g. {@code /page/3: java.net.ConnectException: Connection refused}, or null when there was none
     */
    public String firstError(java.util.List<HttpUrl> urls) {
        for (int i = 0; i < outcomes.length(); i++) {
            Object o = outcomes.get(i);
            if (o == null) {
                return urls.get(i) + ": never finished";
            }
            if (o instanceof Throwable t) {
                return urls.get(i) + ": " + t;
            }
            if (o instanceof HttpResult r && !r.ok()) {
                return urls.get(i) + ": HTTP status " + r.status();
            }
        }
        return null;
    }

    /**
     * Thread-safe. The digest of all outcomes in URL order.
     *
     * @return 16 hex digits
     */
    public String checksum() {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        ByteBuffer entry = ByteBuffer.allocate(20);
        for (int i = 0; i < outcomes.length(); i++) {
            entry.clear();
            if (outcomes.get(i) instanceof HttpResult r) {
                entry.putInt(r.status()).putLong(r.bodyBytes()).putLong(r.crc32());
            } else {
                entry.putInt(-1).putLong(-1).putLong(-1);
            }
            sha.update(entry.flip());
        }
        return HexFormat.of().formatHex(sha.digest(), 0, 8);
    }
}
