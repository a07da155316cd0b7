package dev.yieldloop.process;

import dev.yieldloop.EventLoop;
import dev.yieldloop.Timer;
import dev.yieldloop.net.Connection;
import dev.yieldloop.net.Server;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Starts and stops a pool's worker processes: the private socket directory (mode 0700) with the pool's Unix domain
 * {@link Server} in it, each worker's launch with the same {@code java} and class path as this JVM, the accept of its
 * connection and the HELLO handshake that proves, with a random token passed in the environment, that the peer is the
 * worker launched for that slot (CPython's {@code multiprocessing} authenticates its listener connections the same
 * way), the start timeout, and the stop and reaping of every worker when the pool closes.
 *
 * <p>Threading: loop thread only, except the process exit watch, which hands each exit to the loop.
 */
final class WorkerLauncher {

    private static final System.Logger LOG = System.getLogger(ProcessPool.class.getName());

    /** How long a worker that closed its socket may take to exit before it is killed, in milliseconds. */
    private static final long EXIT_GRACE_MILLIS = 500;

    /** How long closing waits for workers to exit after asking, then after killing, in milliseconds. */
    private static final long CLOSE_WAIT_MILLIS = 2_000;

    private final EventLoop loop;
    private final ProcessPoolOptions options;
    private final WorkerConnection.Listener listener;
    private final BiConsumer<Worker, WorkerState> onExited;
    private final byte[] token = new byte[Wire.TOKEN_BYTES];
    private final Path directory;
    private final Path socketPath;
    private final Server server;
    private final List<WorkerConnection> unidentified = new ArrayList<>();
    private boolean closed;

    /**
     * Creates the private directory and listens on the pool's socket in it; accepting waits for {@link
     * #acceptWhile(boolean)}.
     *
     * @param listener hears every worker connection's messages and end
     * @param onExited called on the loop thread once a launched worker's process has exited and its socket has been
     *     read to the end, with the worker ({@link WorkerState#EXITED}) and the state it was in when it exited
     * @throws IOException if the directory or the socket cannot be created
     */
    WorkerLauncher(
            EventLoop loop,
            ProcessPoolOptions options,
            WorkerConnection.Listener listener,
            BiConsumer<Worker, WorkerState> onExited)
            throws IOException {
        this.loop = loop;
        this.options = options;
        this.listener = listener;
        this.onExited = onExited;
        new SecureRandom().nextBytes(token);
        this.directory = privateDirectory();
        this.socketPath = directory.resolve("pool.sock");
        try {
            this.server = Server.listen(loop, UnixDomainSocketAddress.of(socketPath), 0, this::onAccepted);
        } catch (IOException | RuntimeException e) {
            deleteDirectory();
            throw e;
        }
        server.pauseAccepting();
    }

    /**
     * Starts a worker process for {@code slot}; it connects later. Its start timer kills it if it has not said HELLO
     * within {@link ProcessPoolOptions#startTimeout()}; its exit reaches {@code onExited} on the loop thread.
     *
     * @param slot the slot it will fill
     * @return the new worker, {@link WorkerState#STARTING}
     * @throws IOException if the process cannot be started
     */
    Worker launch(int slot) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(options.javaCommand().toString());
        command.addAll(options.jvmArgs());
        command.add("-cp");
        command.add(String.join(File.pathSeparator, options.classPath()));
        command.add(WorkerMain.class.getName());
        command.add(socketPath.toString());
        command.add(Integer.toString(slot));
        command.add(Integer.toString(options.frameCapBytes()));
        // Standard input stays a pipe that the pool never writes to: when this process dies, however it dies (even
        // SIGKILL), the worker reads end of stream and exits instead of running on as an orphan (WorkerMain).
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put(WorkerMain.TOKEN_ENV, HexFormat.of().formatHex(token));
        Worker w = new Worker(slot, builder.start(), System.nanoTime());
        w.startTimer = loop.scheduleAfter(options.startTimeout().toMillis(), TimeUnit.MILLISECONDS, () -> {
            if (w.state() == WorkerState.STARTING) {
                w.recordTrouble(
                        "did not connect within " + options.startTimeout().toMillis() + " ms");
                w.kill();
            }
        });
        w.process.onExit().thenRun(() -> {
            try {
                loop.execute(() -> onProcessExited(w));
            } catch (IllegalStateException loopClosed) {
                // the loop is gone: close() already reaped this worker, or the pool was never closed (a bug we log)
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, w + " exited after its loop closed; close pools first");
                }
            }
        });
        return w;
    }

    /** The worker's process has exited (a loop event from the process reaper thread through the inbox). */
    private void onProcessExited(Worker w) {
        if (w.state() == WorkerState.DEAD || w.state() == WorkerState.EXITED) {
            return;
        }
        WorkerState was = w.state();
        w.transitionTo(WorkerState.EXITED);
        if (w.connection == null) {
            onExited.accept(w, was);
            return;
        }
        // The socket of an exited process ends at once: read a last answer or a truncated frame before the exit is
        // judged, whichever of the two events the loop noticed first. A socket that does not end (a child process
        // inherited it) is cut after the exit grace.
        Timer cut = loop.scheduleAfter(EXIT_GRACE_MILLIS, TimeUnit.MILLISECONDS, w.connection::close);
        w.connection.ended().onComplete(p -> {
            cut.cancel();
            onExited.accept(w, was);
        });
    }

    /**
     * A worker connection ended (end of stream, error, protocol error): forgets it if it never said HELLO; otherwise
     * records why on its worker and, since a worker without its socket is of no use, gives the process a moment to
     * exit by itself (so its exit code says what happened), then kills it.
     *
     * @param c the connection, already closed
     * @param reason what ended it
     */
    void onBroken(WorkerConnection c, String reason) {
        unidentified.remove(c);
        Worker w = c.worker;
        if (w == null || w.state() == WorkerState.DEAD) {
            return;
        }
        w.recordTrouble(reason);
        w.exitGraceTimer = loop.scheduleAfter(EXIT_GRACE_MILLIS, TimeUnit.MILLISECONDS, () -> {
            if (w.state() != WorkerState.DEAD) {
                w.kill();
            }
        });
    }

    /**
     * Accepts connections only while some worker is starting: an idle listener costs the selector nothing.
     *
     * @param anyStarting whether a worker still has to connect
     */
    void acceptWhile(boolean anyStarting) {
        if (closed) {
            return;
        }
        if (anyStarting) {
            server.resumeAccepting();
        } else {
            server.pauseAccepting();
        }
    }

    private void onAccepted(Connection connection) {
        WorkerConnection c = new WorkerConnection(connection, options.frameCapBytes(), listener);
        unidentified.add(c);
        c.start();
    }

    /**
     * Checks a HELLO: the token must be the pool's, the slot's worker must be starting and its pid the sender's.
     * Accepted, the connection becomes the worker's and the worker IDLE; refused, the connection is closed and the
     * refusal logged.
     *
     * @param c the connection that sent it
     * @param hello the HELLO
     * @param slots the pool's slots
     * @return the worker now connected, or null when refused
     */
    Worker identify(WorkerConnection c, Wire.Hello hello, Worker[] slots) {
        unidentified.remove(c);
        Worker w = hello.slot() >= 0 && hello.slot() < slots.length ? slots[hello.slot()] : null;
        if (w == null
                || !MessageDigest.isEqual(hello.token(), token)
                || w.state() != WorkerState.STARTING
                || w.process.pid() != hello.pid()) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "process pool refused a connection with a bad HELLO (slot " + hello.slot() + ", pid " + hello.pid()
                            + ")");
            c.close();
            return null;
        }
        c.worker = w;
        w.connection = c;
        w.transitionTo(WorkerState.IDLE);
        w.startupNanos = System.nanoTime() - w.launchNanos;
        w.startTimer.cancel();
        return w;
    }

    /**
     * Closes a connection that has not said HELLO and forgets it.
     *
     * @param c the connection
     */
    void refuse(WorkerConnection c) {
        unidentified.remove(c);
        c.close();
    }

    /**
     * Stops every live worker and waits for it: asks it to quit, closes its connection, sends SIGTERM, waits up to 2 s,
     * then SIGKILLs the ones left and waits 2 s more. Blocks the loop thread for that long at most. Every worker ends
     * {@link WorkerState#DEAD}.
     *
     * @param slots the pool's slots
     */
    void stopAll(Worker[] slots) {
        for (Worker w : slots) {
            if (w != null && w.state() != WorkerState.DEAD) {
                w.stopByPool("the pool is closing");
                if (w.connection != null) {
                    w.connection.send(Wire.quit());
                    w.connection.close();
                }
                w.cancelTimers();
                w.process.destroy();
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
        for (int round = 0; round < 2; round++) {
            boolean allGone = true;
            for (Worker w : slots) {
                if (w == null) {
                    continue;
                }
                try {
                    long left = Math.max(0, deadline - System.nanoTime());
                    if (!w.process.waitFor(left, TimeUnit.NANOSECONDS)) {
                        allGone = false;
                        w.kill();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    w.kill();
                    allGone = false;
                }
                if (w.state() != WorkerState.DEAD) {
                    w.transitionTo(WorkerState.DEAD);
                }
            }
            if (allGone) {
                return;
            }
            deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
        }
        for (Worker w : slots) {
            if (w != null && w.process.isAlive()) {
                LOG.log(System.Logger.Level.ERROR, "process pool: " + w + " survived SIGKILL for 2 s");
            }
        }
    }

    /**
     * Closes the connections not yet identified and the socket, and removes the socket and its directory. Closing
     * twice does nothing.
     *
     * @throws UncheckedIOException if the directory cannot be removed
     */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (WorkerConnection c : unidentified) {
            c.close();
        }
        unidentified.clear();
        server.close();
        deleteDirectory();
    }

    /**
     * The private directory holding the socket (mode 0700).
     *
     * @return the directory, removed by {@link #close()}
     */
    Path socketDirectory() {
        return directory;
    }

    private static Path privateDirectory() throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return Files.createTempDirectory(
                    "yieldloop-pool-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return Files.createTempDirectory("yieldloop-pool-");
    }

    private void deleteDirectory() {
        try {
            Files.deleteIfExists(socketPath);
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the pool's socket directory " + directory, e);
        }
    }
}
