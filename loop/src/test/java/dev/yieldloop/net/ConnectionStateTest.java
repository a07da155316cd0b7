package dev.yieldloop.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yieldloop.EventLoop;
import dev.yieldloop.Promise;
import dev.yieldloop.testing.Echo;
import dev.yieldloop.testing.LoopLeakCheck;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The connection state machine: the legal changes, every other one refused, and the states a real connection goes through. */
class ConnectionStateTest {

    /** Every change the diagram draws, and nothing else. */
    private static final Map<ConnectionState, Set<ConnectionState>> LEGAL = Map.of(
            ConnectionState.CONNECTING, EnumSet.of(ConnectionState.OPEN, ConnectionState.CLOSED),
            ConnectionState.OPEN,
                    EnumSet.of(ConnectionState.OUTPUT_SHUTDOWN, ConnectionState.CLOSING, ConnectionState.CLOSED),
            ConnectionState.OUTPUT_SHUTDOWN, EnumSet.of(ConnectionState.CLOSING, ConnectionState.CLOSED),
            ConnectionState.CLOSING, EnumSet.of(ConnectionState.CLOSED),
            ConnectionState.CLOSED, EnumSet.noneOf(ConnectionState.class));

    @RegisterExtension
    final LoopLeakCheck loops = new LoopLeakCheck();

    @Test
    void canMoveToAllowsExactlyTheDrawnTransitions() {
        int illegal = 0;
        for (ConnectionState from : ConnectionState.values()) {
            for (ConnectionState to : ConnectionState.values()) {
                boolean legal = LEGAL.get(from).contains(to);
                assertThat(from.canMoveTo(to)).as("%s → %s", from, to).isEqualTo(legal);
                illegal += legal ? 0 : 1;
            }
        }
        // 25 pairs, 8 of them legal; every self-loop is illegal
        assertThat(illegal).isEqualTo(17);
    }

    @Test
    void onlyAnOpenConnectionTakesWritesAndOnlyAnOpenOrHalfClosedOneReads() {
        assertThat(EnumSet.allOf(ConnectionState.class).stream().filter(ConnectionState::canWrite))
                .containsExactly(ConnectionState.OPEN);
        assertThat(EnumSet.allOf(ConnectionState.class).stream().filter(ConnectionState::canRead))
                .containsExactly(ConnectionState.OPEN, ConnectionState.OUTPUT_SHUTDOWN);
    }

    @Test
    void aRealConnectionMovesOpenThenHalfClosedThenClosedAndRefusesEveryIllegalMove() throws Exception {
        EventLoop loop = loops.newLoop();
        TcpServer server = Echo.serve(loop);
        Promise<TcpConnection> connecting = TcpConnection.connect(loop, server.localAddress());
        loop.runUntilComplete(connecting);
        TcpConnection c = connecting.result();
        assertThat(c.state()).isEqualTo(ConnectionState.OPEN);
        assertRefusesIllegalMoves(c);

        c.shutdownOutput();
        assertThat(c.state()).isEqualTo(ConnectionState.OUTPUT_SHUTDOWN);
        assertThat(c.write(ByteBuffer.allocate(1)).isFailed()).isTrue();
        assertRefusesIllegalMoves(c);

        c.close();
        assertThat(c.state()).isEqualTo(ConnectionState.CLOSED);
        assertRefusesIllegalMoves(c);
        c.abort(); // closing a closed connection again does nothing
        c.shutdownOutput();
        assertThat(c.state()).isEqualTo(ConnectionState.CLOSED);
        server.close();
    }

    private static void assertRefusesIllegalMoves(TcpConnection c) {
        ConnectionState from = c.state();
        for (ConnectionState to : EnumSet.complementOf(EnumSet.copyOf(LEGAL.get(from)))) {
            assertThatThrownBy(() -> c.transitionTo(to))
                    .as("%s → %s", from, to)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(from + " → " + to)
                    .hasMessageContaining(c.description());
            assertThat(c.state()).isEqualTo(from);
        }
    }
}
