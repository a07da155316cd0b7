package dev.yieldloop.docs;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.yieldloop.Coroutine;
import dev.yieldloop.EventLoop;
import dev.yieldloop.Promise;
import dev.yieldloop.Step;
import dev.yieldloop.Task;
import dev.yieldloop.net.TcpConnection;
import dev.yieldloop.net.TcpServer;
import dev.yieldloop.testing.DocRegions;
import dev.yieldloop.testing.Echo;
import dev.yieldloop.testing.LoopLeakCheck;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the code of {@code docs/coroutine-by-hand.md} and checks that the page quotes it verbatim, so the teaching page
 * cannot drift from working code.
 */
class CoroutineByHandTest {

    @RegisterExtension
    final LoopLeakCheck loops = new LoopLeakCheck();

    // --8<-- [start:fetch]
    /** What {@code async def fetch(addr): conn = await connect(addr); await conn.write(b"ping"); ...} compiles to. */
    static final class Fetch implements Coroutine<String> {
        private final EventLoop loop;
        private final InetSocketAddress address;
        private final ByteBuffer buffer = ByteBuffer.allocate(64);
        private int state; // which marked point the task is parked at
        private Promise<TcpConnection> connecting; // values live across marked points: fields, not locals
        private TcpConnection conn;
        private Promise<Void> writing;
        private Promise<Integer> reading;

        Fetch(EventLoop loop, InetSocketAddress address) {
            this.loop = loop;
            this.address = address;
        }

        @Override
        public Step<String> resume() throws Exception {
            switch (state) {
                case 0: // conn = await connect(addr)
                    connecting = TcpConnection.connect(loop, address);
                    state = 1;
                    return Step.await(connecting);
                case 1: // await conn.write(b"ping")
                    conn = connecting.get(); // the value, or the failure thrown as is, as `await` does
                    writing = conn.write(ByteBuffer.wrap("ping".getBytes(US_ASCII)));
                    state = 2;
                    return Step.await(writing);
                case 2: // n = await conn.read(buffer)
                    writing.get();
                    reading = conn.read(buffer);
                    state = 3;
                    return Step.await(reading);
                case 3: // return the reply
                    int n = reading.get();
                    state = 4;
                    return Step.done(new String(buffer.array(), 0, n, US_ASCII));
                default:
                    throw new IllegalStateException("resumed after it finished");
            }
        }

        @Override
        public void onExit(Throwable failureOrNull) {
            // the `finally: conn.close()`: runs once, after a value, a failure or a cancellation
            if (conn != null) {
                conn.close();
            }
        }
    }
    // --8<-- [end:fetch]

    // --8<-- [start:composed]
    static Promise<String> fetchComposed(EventLoop loop, InetSocketAddress address) {
        ByteBuffer buffer = ByteBuffer.allocate(64);
        return TcpConnection.connect(loop, address)
                .flatMap(conn -> conn.write(ByteBuffer.wrap("ping".getBytes(US_ASCII)))
                        .flatMap(written -> conn.read(buffer))
                        .map(n -> {
                            conn.close();
                            return new String(buffer.array(), 0, n, US_ASCII);
                        }));
    }
    // --8<-- [end:composed]

    // --8<-- [start:straight]
    static Task<String> fetchStraight(EventLoop loop, InetSocketAddress address) {
        return loop.spawnAsync("fetch", a -> {
            try (TcpConnection conn = a.await(TcpConnection.connect(loop, address))) {
                a.await(conn.write(ByteBuffer.wrap("ping".getBytes(US_ASCII))));
                ByteBuffer buffer = ByteBuffer.allocate(64);
                int n = a.await(conn.read(buffer));
                return new String(buffer.array(), 0, n, US_ASCII);
            }
        });
    }
    // --8<-- [end:straight]

    @Test
    void bothFormsFetchTheEchoAndThePageQuotesThem() throws IOException {
        EventLoop loop = loops.newLoop();
        List<TcpConnection> accepted = new ArrayList<>();
        TcpServer server = Echo.serve(loop, accepted);
        InetSocketAddress address = server.localAddress();

        // --8<-- [start:run]
        List<Task<String>> tasks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            tasks.add(loop.spawn("fetch " + i, new Fetch(loop, address)));
        }
        Task<String> composed = loop.spawn("composed", Coroutine.awaiting(() -> fetchComposed(loop, address)));
        Task<String> straight = fetchStraight(loop, address);
        loop.runOnce(); // every task runs to its first marked point: connect
        String midRun = loop.snapshot().toString();
        System.out.println(midRun);
        // --8<-- [end:run]

        long deadline = System.nanoTime() + 10_000_000_000L;
        while ((tasks.stream().anyMatch(t -> !t.promise().isDone())
                        || !composed.promise().isDone()
                        || !straight.promise().isDone())
                && System.nanoTime() < deadline) {
            loop.runOnce();
        }
        for (Task<String> t : tasks) {
            assertThat(t.promise().result()).isEqualTo("ping");
        }
        assertThat(composed.promise().result()).isEqualTo("ping");
        assertThat(straight.promise().result()).isEqualTo("ping");
        assertThat(midRun).contains("WAITING", "t1 \"fetch 0\" on connect 127.0.0.1:" + address.getPort());
        while (accepted.stream().anyMatch(TcpConnection::isOpen) && System.nanoTime() < deadline) {
            loop.runOnce();
        }
        server.close();

        String page = Files.readString(Path.of("..", "docs", "coroutine-by-hand.md"));
        String source = Files.readString(Path.of("src/test/java/dev/yieldloop/docs/CoroutineByHandTest.java"));
        for (String region : List.of("fetch", "composed", "straight", "run")) {
            assertThat(page)
                    .as("docs/coroutine-by-hand.md quotes region %s", region)
                    .contains(DocRegions.region(source, region));
        }
    }
}
