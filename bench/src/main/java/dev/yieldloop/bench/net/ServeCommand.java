package dev.yieldloop.bench.net;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code serve} (hidden): the server JVM. Starts one {@link ServerKind} on 127.0.0.1, prints {@code listening PORT},
 * then answers on standard input: {@code heap} prints {@code heap BYTES} (used heap after full GCs); end of input stops
 * the server, so it never outlives the bench.
 *
 * <p>Not thread-safe: the server JVM's main thread.
 */
@Command(name = "serve", hidden = true, description = "Runs one server under test (used by the bench itself).")
public final class ServeCommand implements Callable<Integer> {

    @Option(names = "--kind", required = true, description = "Which server: ${COMPLETION-CANDIDATES}.")
    ServerKind kind;

    /** Created by picocli. */
    public ServeCommand() {}

    @Override
    public Integer call() throws IOException, InterruptedException {
        try (RunningServer server = kind.start()) {
            System.out.println("listening " + server.port());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.trim().equals("heap")) {
                    System.out.println("heap " + usedHeapAfterGc());
                    System.out.flush();
                }
            }
        }
        return 0;
    }

    /**
     * Used heap after full GCs, the smallest of a few readings.
     *
     * @return bytes
     */
    static long usedHeapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            used = Math.min(
                    used,
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
