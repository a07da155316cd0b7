package dev.yieldloop.process;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * The main class of a worker process: connects to its pool's Unix domain socket, introduces itself, then runs one job
 * at a time until told to quit or the socket closes. It never starts an event loop: a worker is plain blocking code.
 *
 * <p>Command line: {@code WorkerMain <socket path> <slot> <frame cap bytes>}; the pool's secret token comes in the
 * environment variable {@value #TOKEN_ENV}, which (unlike the command line) other users cannot read.
 *
 * <p>The worker loads only classes that implement {@link ProcessJob}, checked before the class is initialized, so a
 * frame naming any other class runs none of that class's code ({@link #loadJob}).
 *
 * <p>A worker never outlives its pool's process: it exits with {@value #EXIT_ORPHANED} when its standard input (a pipe
 * the pool holds and never writes) reaches end of stream, which happens the moment the pool's process dies, even by
 * SIGKILL; when its socket closes while it is idle; and, as a backstop, when its parent process is gone (checked every
 * {@value #PARENT_CHECK_MILLIS} ms through {@link ProcessHandle#parent()}). A job still computing is abandoned then:
 * nobody is left to take its result (CPython's process pool workers watch their parent the same way).
 *
 * <p>Threading: the worker's main thread does everything, except two daemon threads that watch for the parent's end.
 */
public final class WorkerMain {

    /** The environment variable that carries the pool's token, as hex. */
    static final String TOKEN_ENV = "YIELDLOOP_WORKER_TOKEN";

    /** Exit code when the worker cannot start (bad arguments, no pool to connect to). */
    static final int EXIT_BAD_START = 64;

    /** Exit code after a protocol error from the pool. */
    static final int EXIT_PROTOCOL = 65;

    /** Exit code when the pool's process is gone (standard input closed, or the parent process ended). */
    static final int EXIT_ORPHANED = 66;

    /** How often the backstop checks that the parent process is alive, in milliseconds. */
    static final long PARENT_CHECK_MILLIS = 500;

    private static volatile SocketChannel channel;

    private WorkerMain() {}

    /**
     * Runs the worker.
     *
     * @param args socket path, slot, frame cap in bytes
     */
    public static void main(String[] args) {
        if (args.length != 3 || System.getenv(TOKEN_ENV) == null) {
            System.err.println("usage: WorkerMain <socket path> <slot> <frame cap bytes> (with " + TOKEN_ENV
                    + " set); started by dev.yieldloop.process.ProcessPool, not by hand");
            System.exit(EXIT_BAD_START);
        }
        watchParent();
        int code;
        try {
            code = serve(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        } catch (IOException | RuntimeException e) {
            System.err.println("yieldloop worker " + args[1] + ": " + e);
            code = e instanceof ProtocolException ? EXIT_PROTOCOL : EXIT_BAD_START;
        }
        System.exit(code);
    }

    /** Starts the two daemon threads that end the worker when its parent is gone. */
    private static void watchParent() {
        Thread stdin = new Thread(
                () -> {
                    byte[] sink = new byte[64];
                    try {
                        while (System.in.read(sink) >= 0) {
                            // the pool never writes: only the end of the stream matters
                        }
                    } catch (IOException e) {
                        // a broken pipe is an end too
                    }
                    Runtime.getRuntime().halt(EXIT_ORPHANED);
                },
                "yieldloop-worker-stdin-watch");
        stdin.setDaemon(true);
        stdin.start();
        ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
        if (parent == null) {
            return; // no parent to watch (not started by a pool): standard input is the only watch
        }
        Thread poll = new Thread(
                () -> {
                    while (true) {
                        try {
                            Thread.sleep(PARENT_CHECK_MILLIS);
                        } catch (InterruptedException e) {
                            return;
                        }
                        long now = ProcessHandle.current()
                                .parent()
                                .map(ProcessHandle::pid)
                                .orElse(-1L);
                        if (!parent.isAlive() || now != parent.pid()) {
                            Runtime.getRuntime().halt(EXIT_ORPHANED); // re-parented to init or a subreaper
                        }
                    }
                },
                "yieldloop-worker-parent-watch");
        poll.setDaemon(true);
        poll.start();
    }

    private static int serve(Path socket, int slot, int frameCapBytes) throws IOException {
        byte[] token = HexFormat.of().parseHex(System.getenv(TOKEN_ENV));
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            channel = ch;
            writeFully(ch, Wire.hello(slot, token, ProcessHandle.current().pid()));
            FrameDecoder decoder = new FrameDecoder(frameCapBytes);
            ByteBuffer in = ByteBuffer.allocate(64 * 1024);
            in.flip();
            while (true) {
                byte[] body = decoder.next(in);
                if (body == null) {
                    in.clear();
                    int n = ch.read(in);
                    in.flip();
                    if (n < 0) {
                        return 0; // the pool closed the socket: nobody wants our results
                    }
                    continue;
                }
                Wire.Message message = Wire.parse(body);
                if (message instanceof Wire.Quit) {
                    return 0;
                }
                if (!(message instanceof Wire.Job job)) {
                    throw new ProtocolException("worker expected JOB or QUIT, got "
                            + message.getClass().getSimpleName());
                }
                writeFully(ch, run(job, frameCapBytes));
            }
        }
    }

    /** Runs one job; whatever it does short of killing the process, the answer is a RESULT or a FAILURE frame. */
    private static ByteBuffer run(Wire.Job job, int frameCapBytes) {
        try {
            byte[] result = runJob(loadJob(job.className()), job.argument());
            if (result.length > frameCapBytes - 9) {
                throw new IllegalArgumentException(
                        "result of " + result.length + " bytes exceeds the frame cap of " + frameCapBytes + " bytes");
            }
            return Wire.result(job.jobId(), result);
        } catch (Throwable t) {
            StringWriter text = new StringWriter();
            t.printStackTrace(new PrintWriter(text));
            return Wire.failure(job.jobId(), t.getClass().getName(), text.toString(), frameCapBytes);
        }
    }

    private static <A, R> byte[] runJob(ProcessJob<A, R> job, byte[] argument) throws Exception {
        A decoded = job.argumentCodec().decode(argument);
        return job.resultCodec().encode(job.compute(decoded));
    }

    /**
     * Loads and instantiates a job class by name, refusing anything that is not a public {@link ProcessJob} with a
     * public no-argument constructor. The check happens before the class is initialized, so a refused class runs none
     * of its code (no static initializer, no constructor).
     *
     * @param className a binary class name from a JOB frame
     * @return a new instance
     * @throws ReflectiveOperationException if the class cannot be found or instantiated
     * @throws SecurityException if the class is not an allowed job
     */
    static ProcessJob<?, ?> loadJob(String className) throws ReflectiveOperationException {
        Class<?> c = Class.forName(className, false, WorkerMain.class.getClassLoader());
        if (!ProcessJob.class.isAssignableFrom(c)) {
            throw new SecurityException("refused: " + className + " is not a " + ProcessJob.class.getName());
        }
        if (!Modifier.isPublic(c.getModifiers()) || Modifier.isAbstract(c.getModifiers())) {
            throw new SecurityException("refused: " + className + " is not a public concrete class");
        }
        Constructor<?> constructor = c.getConstructor();
        return (ProcessJob<?, ?>) constructor.newInstance();
    }

    private static void writeFully(SocketChannel ch, ByteBuffer frame) throws IOException {
        while (frame.hasRemaining()) {
            ch.write(frame);
        }
    }

    /**
     * The worker's socket, for the crash tests that write broken frames on purpose (truncated, garbage). Not for jobs.
     *
     * @return the connected channel, or null before the worker connected
     */
    static SocketChannel channelForCrashTests() {
        return channel;
    }
}
