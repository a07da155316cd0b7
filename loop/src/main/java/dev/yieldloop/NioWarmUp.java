package dev.yieldloop;

import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Initializes, once per JVM, the JDK's lazily loaded NIO classes that need file descriptors of their own, so that
 * running out of descriptors later fails one operation instead of breaking NIO for the rest of the process.
 *
 * <p>Why: on Linux the JDK's {@code sun.nio.ch.FileDispatcherImpl} opens a socket pair while its class initializes, on
 * the first socket write, pipe read or selector close. If that first use happens while the process is at its
 * descriptor limit (EMFILE), initialization fails, and every later socket write and selector close throws {@link
 * NoClassDefFoundError} ("Could not initialize class") for as long as the process lives: an event loop that ran out of
 * descriptors for a moment could then never write again, nor close. Each {@link EventLoop} constructor calls {@link
 * #ensure()} while descriptors are still plentiful; it costs one pipe, one selector and one unconnected socket, once.
 * (libuv likewise reserves a spare descriptor up front for its EMFILE path.)
 *
 * <p>Threading: thread-safe.
 */
final class NioWarmUp {

    private static final AtomicBoolean DONE = new AtomicBoolean();

    private NioWarmUp() {}

    /**
     * Thread-safe. Writes and reads one byte through a pipe, opens and closes a selector and an unconnected socket
     * channel, once per JVM; later calls return at once. Never throws: warming up is best effort.
     */
    static void ensure() {
        if (!DONE.compareAndSet(false, true)) {
            return;
        }
        try {
            Pipe pipe = Pipe.open();
            try (Pipe.SinkChannel sink = pipe.sink();
                    Pipe.SourceChannel source = pipe.source()) {
                sink.write(ByteBuffer.wrap(new byte[] {1}));
                source.read(ByteBuffer.allocate(1));
            }
            Selector.open().close();
            SocketChannel.open().close();
        } catch (Throwable t) {
            // best effort: a failure here is the same failure the first real use would have met
        }
    }
}
