package dev.yieldloop.demo.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yieldloop.demo.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The {@code server} command's user-facing errors. */
@Timeout(30)
class ServerCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void aPortInUseIsBadInputWithAHint() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThat(run("server", "--port", Integer.toString(taken.getLocalPort())))
                    .isEqualTo(Main.EXIT_BAD_INPUT);
        }
        assertThat(err.toString())
                .startsWith("error: cannot listen on 127.0.0.1:")
                .contains("--port");
    }

    @Test
    void outOfRangeNumbersAreBadInput() {
        assertThat(run("server", "--port", "70000")).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(run("server", "--delay-ms", "-1")).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("--port must be in 0..65535", "--delay-ms");
    }

    @Test
    void helpDescribesTheEncodings() {
        assertThat(run("server", "--help")).isZero();
        assertThat(out.toString()).contains("--port", "--delay-ms", "--body-bytes", "encoding=chunked");
    }
}
