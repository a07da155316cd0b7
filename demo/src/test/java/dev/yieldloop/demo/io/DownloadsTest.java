package dev.yieldloop.demo.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.yieldloop.demo.report.Progress;
import dev.yieldloop.demo.server.SlowSiteProcess;
import dev.yieldloop.demo.server.SlowSiteServer;
import dev.yieldloop.demo.strategy.Strategies;
import dev.yieldloop.demo.strategy.Strategy;
import dev.yieldloop.demo.strategy.StrategySettings;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The IO-bound workload over every strategy: against the embedded server in its child process, each
 * downloads every URL once, with every framing, and returns the checksum computed independently from the bodies the
 * server is known to send.
 */
class DownloadsTest {

    private static final int BODY_BYTES = 5000;
    private static SlowSiteProcess server;

    @BeforeAll
    static void startServer() throws Exception {
        server = SlowSiteProcess.start(20, BODY_BYTES);
    }

    @AfterAll
    static void stopServer() {
        server.close();
        assertThat(ProcessHandle.of(server.pid()).map(ProcessHandle::isAlive).orElse(false))
                .isFalse();
    }

    private static List<HttpUrl> urls() {
        List<HttpUrl> urls = new ArrayList<>();
        String[] encodings = {"", "?encoding=chunked", "?encoding=close", "?encoding=length"};
        for (int i = 0; i < 24; i++) {
            urls.add(HttpUrl.parse(server.baseUrl() + "/page/" + i + encodings[i % encodings.length]));
        }
        return urls;
    }

    /** The checksum {@link DownloadLog} must report, computed from the server's known bodies. */
    private static String expectedChecksum(List<HttpUrl> urls) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (HttpUrl url : urls) {
            String target = url.target();
            String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
            CRC32 crc = new CRC32();
            crc.update(SlowSiteServer.body(path, BODY_BYTES));
            sha.update(ByteBuffer.allocate(20)
                    .putInt(200)
                    .putLong(BODY_BYTES)
                    .putLong(crc.getValue())
                    .flip());
        }
        return HexFormat.of().formatHex(sha.digest(), 0, 8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sequential", "threads", "virtual-threads", "event-loop", "process-pool"})
    void everyStrategyDownloadsEveryBodyIntact(String name) throws Exception {
        Strategy strategy = Strategies.choose(List.of(name)).get(0);
        assumeThat(strategy.unavailableReason()).as("unavailable here").isNull();
        List<HttpUrl> urls = urls();
        DownloadLog log = new DownloadLog(urls.size(), Progress.silent());
        Downloads downloads = new Downloads(urls, Duration.ofSeconds(10), log);
        strategy.run(downloads, StrategySettings.of(3, 2));
        assertThat(downloads.firstError()).isNull();
        assertThat(downloads.checksum()).isEqualTo(log.checksum());
        assertThat(log.firstError(urls)).isNull();
        assertThat(log.ok()).isEqualTo(urls.size());
        assertThat(log.checksum()).isEqualTo(expectedChecksum(urls));
    }
}
