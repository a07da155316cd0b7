package dev.yieldloop.demo;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Headless Chromium for tests: a screenshot or the DOM of a local file, each run with a fresh profile directory, no
 * network services, and a time limit. {@link #find()} says why it cannot run when it cannot.
 */
final class Chromium {

    /** Longest a Chromium run may take, in seconds. */
    static final long TIMEOUT_SECONDS = 90;

    private final String executable;

    private Chromium(String executable) {
        this.executable = executable;
    }

    /**
     * Looks for {@code chromium} or {@code chromium-browser} on the PATH.
     *
     * @return the browser, or null when there is none
     */
    static Chromium find() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return new Chromium(p.toString());
                }
            }
        }
        return null;
    }

    /**
     * Renders {@code page} and saves a PNG screenshot.
     *
     * @param page the local HTML or SVG file
     * @param png where the screenshot goes
     * @param width window width, pixels
     * @param height window height, pixels
     * @throws IOException if Chromium fails, times out or writes no file
     * @throws InterruptedException if interrupted while waiting
     */
    void screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
        run(page, "--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height, "--hide-scrollbars");
        if (!Files.isRegularFile(png) || Files.size(png) == 0) {
            throw new IOException("chromium wrote no screenshot to " + png);
        }
    }

    /**
     * Renders {@code page} and returns the DOM after layout, as HTML.
     *
     * @param page the local HTML file
     * @return the serialized DOM
     * @throws IOException if Chromium fails or times out
     * @throws InterruptedException if interrupted while waiting
     */
    String dumpDom(Path page) throws IOException, InterruptedException {
        return run(page, "--dump-dom");
    }

    private String run(Path page, String... extra) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("chromium-profile");
        Path stdout = Files.createTempFile("chromium", ".out");
        try {
            List<String> command = new ArrayList<>(List.of(
                    executable,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--user-data-dir=" + profile));
            command.addAll(List.of(extra));
            command.add(page.toAbsolutePath().toUri().toString());
            Process p = new ProcessBuilder(command)
                    .redirectOutput(stdout.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("chromium did not finish within " + TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                throw new IOException("chromium exited with " + p.exitValue());
            }
            return Files.readString(stdout, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(stdout);
            try (Stream<Path> walk = Files.walk(profile)) {
                walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
