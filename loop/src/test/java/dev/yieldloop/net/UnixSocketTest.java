package dev.yieldloop.net;

import static dev.yieldloop.net.LoopDriving.runUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.yieldloop.EventLoop;
import dev.yieldloop.Promise;
import dev.yieldloop.testing.LoopLeakCheck;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@link Connection} and {@link Server} over Unix domain sockets: the same reads, writes, watermarks and closing. */
class UnixSocketTest {

    @RegisterExtension
    final LoopLeakCheck loops = new LoopLeakCheck();

    @TempDir
    Path dir;

    /** A connected pair: [client, accepted]. */
    private Connection[] pair(EventLoop loop, Server server, List<Connection> accepted) {
        Promise<Connection> connecting = Connection.connect(loop, (UnixDomainSocketAddress) server.localAddress());
        runUntil(loop, () -> connecting.isDone() && !accepted.isEmpty());
        return new Connection[] {connecting.result(), accepted.get(0)};
    }

    @Test
    void linesEchoOverAUnixSocketAndTheServerRemovesItsFileOnClose() throws Exception {
        EventLoop loop = loops.newLoop();
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("echo.sock"));
        Server server = Server.listen(
                loop,
                address,
                16,
                conn -> conn.readLine(1024)
                        .flatMap(line ->
                                conn.write(ByteBuffer.wrap(("echo: " + line + "\n").getBytes(StandardCharsets.UTF_8))))
                        .onComplete(done -> conn.close()));
        assertThat(Files.exists(address.getPath())).isTrue();
        assertThat(server.localAddress()).isEqualTo(address);

        Promise<Connection> connecting = Connection.connect(loop, address);
        Promise<String> reply =
                connecting.flatMap(c -> c.write(ByteBuffer.wrap("hello\n".getBytes(StandardCharsets.UTF_8)))
                        .flatMap(v -> c.readLine(1024)));
        runUntil(loop, reply::isDone);
        assertThat(reply.result()).isEqualTo("echo: hello");
        Connection client = connecting.result();
        assertThat(client.remoteAddress()).isEqualTo(address);
        assertThat(client.description()).isEqualTo("unix:" + address.getPath());

        Promise<String> end = client.readLine(1024);
        runUntil(loop, end::isDone);
        assertThat(end.result())
                .as("the server closed after its reply: a clean end of stream")
                .isNull();
        client.close();
        runUntil(loop, () -> server.openConnections() == 0);
        server.close();
        assertThat(Files.exists(address.getPath())).as("socket file removed").isFalse();
    }

    @Test
    void aPeerThatClosesEndsTheStreamAndLaterReadsAndWritesFail() throws Exception {
        EventLoop loop = loops.newLoop();
        List<Connection> accepted = new ArrayList<>();
        Server server = Server.listen(loop, UnixDomainSocketAddress.of(dir.resolve("close.sock")), 16, accepted::add);
        Connection[] p = pair(loop, server, accepted);
        Promise<Integer> read = p[0].read(ByteBuffer.allocate(16));
        loop.runNow();
        assertThat(read.isDone()).as("nothing to read yet").isFalse();
        p[1].close();
        runUntil(loop, read::isDone);
        assertThat(read.result()).as("end of stream").isEqualTo(-1);
        p[0].close();
        assertThat(p[0].isOpen()).isFalse();
        assertThat(p[0].write(ByteBuffer.allocate(1)).failure()).isInstanceOf(ClosedChannelException.class);
        assertThat(p[0].read(ByteBuffer.allocate(1)).failure()).isInstanceOf(ClosedChannelException.class);
        assertThat(p[0].closed().isSucceeded()).isTrue();
        server.close();
    }

    @Test
    void watermarksStopAWriterUntilTheReaderDrainsTheQueue() throws Exception {
        EventLoop loop = loops.newLoop();
        List<Connection> accepted = new ArrayList<>();
        Server server = Server.listen(loop, UnixDomainSocketAddress.of(dir.resolve("bp.sock")), 16, accepted::add);
        Connection[] p = pair(loop, server, accepted);
        Connection writer = p[0];
        writer.setWriteWatermarks(16 * 1024, 64 * 1024);
        int total = 8 * 1024 * 1024; // far more than the socket buffers hold: the reader must drain it
        int chunk = 32 * 1024;
        long[] maxQueued = {0};
        long[] received = {0};
        Promise<Void> written = writeAll(writer, total, chunk, maxQueued);
        assertThat(writer.isWritable())
                .as("not writable while the peer does not read")
                .isFalse();
        Promise<Void> read = readAll(p[1], received);
        runUntil(loop, () -> written.isDone() && read.isDone());
        assertThat(written.isSucceeded()).isTrue();
        assertThat(received[0]).isEqualTo(total);
        assertThat(maxQueued[0])
                .as("a writer that awaits writability keeps the queue under high watermark plus one write")
                .isLessThanOrEqualTo(64 * 1024 + chunk);
        assertThat(writer.isWritable()).isTrue();
        writer.close();
        p[1].close();
        server.close();
    }

    /** Writes {@code left} bytes in chunks, awaiting writability before each; records the most bytes ever queued. */
    private static Promise<Void> writeAll(Connection c, int left, int chunk, long[] maxQueued) {
        if (left == 0) {
            return c.loop().newSucceededPromise(null);
        }
        return c.awaitWritable().flatMap(v -> {
            int n = Math.min(chunk, left);
            c.write(ByteBuffer.allocate(n));
            maxQueued[0] = Math.max(maxQueued[0], c.queuedWriteBytes());
            return writeAll(c, left - n, chunk, maxQueued);
        });
    }

    /** Reads until end of stream or {@code 8 MiB}, counting bytes. */
    private static Promise<Void> readAll(Connection c, long[] received) {
        return c.read(ByteBuffer.allocate(64 * 1024)).flatMap(n -> {
            if (n < 0 || (received[0] += n) >= 8 * 1024 * 1024) {
                return c.loop().newSucceededPromise(null);
            }
            return readAll(c, received);
        });
    }

    @Test
    void connectingWhereNobodyListensFailsThePromise() {
        EventLoop loop = loops.newLoop();
        Promise<Connection> connecting = Connection.connect(loop, UnixDomainSocketAddress.of(dir.resolve("none.sock")));
        runUntil(loop, connecting::isDone);
        assertThat(connecting.failure()).isInstanceOf(IOException.class);
    }

    @Test
    void listeningOnAnExistingFileFailsAndLeavesItAlone() throws Exception {
        EventLoop loop = loops.newLoop();
        Path taken = Files.writeString(dir.resolve("taken.sock"), "not a socket");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(
                        () -> Server.listen(loop, UnixDomainSocketAddress.of(taken), 16, c -> {})))
                .isInstanceOf(IOException.class);
        assertThat(Files.readString(taken)).isEqualTo("not a socket");
    }
}
