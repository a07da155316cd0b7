package dev.yieldloop.demo.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yieldloop.demo.server.HttpRequestParser.NeedMore;
import dev.yieldloop.demo.server.HttpRequestParser.Reject;
import dev.yieldloop.demo.server.HttpRequestParser.Request;
import dev.yieldloop.demo.server.HttpRequestParser.Result;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Malformed requests and huge request lines and headers, at the parser: strict framing, bounded memory, every bad input
 * rejected with 4xx.
 */
class HttpRequestParserTest {

    private static final String GET = "GET /page/1 HTTP/1.1\r\nHost: x\r\n\r\n";

    private static Result feed(HttpRequestParser parser, String text) {
        return parser.feed(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void parsesAKeepAliveGet() {
        Result r = feed(new HttpRequestParser(), GET);
        assertThat(r).isEqualTo(new Request("GET", "/page/1", "HTTP/1.1", true));
    }

    @Test
    void requestSplitAtEveryByteStillParsesOnce() {
        HttpRequestParser parser = new HttpRequestParser();
        byte[] bytes = GET.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < bytes.length - 1; i++) {
            assertThat(parser.feed(ByteBuffer.wrap(bytes, i, 1))).isInstanceOf(NeedMore.class);
            assertThat(parser.inRequest()).isTrue();
        }
        assertThat(parser.feed(ByteBuffer.wrap(bytes, bytes.length - 1, 1))).isInstanceOf(Request.class);
        assertThat(parser.inRequest()).isFalse();
    }

    @Test
    void pipelinedRequestsComeOutOneAtATimeLeavingTheRestUnread() {
        HttpRequestParser parser = new HttpRequestParser();
        ByteBuffer in = ByteBuffer.wrap((GET + "GET /page/2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(((Request) parser.feed(in)).target()).isEqualTo("/page/1");
        assertThat(in.remaining()).isPositive();
        Request second = (Request) parser.feed(in);
        assertThat(second.target()).isEqualTo("/page/2");
        assertThat(second.keepAlive()).isFalse();
        assertThat(in.hasRemaining()).isFalse();
    }

    @Test
    void http10ClosesUnlessKeepAliveIsAsked() {
        assertThat(((Request) feed(new HttpRequestParser(), "GET / HTTP/1.0\r\n\r\n")).keepAlive())
                .isFalse();
        assertThat(((Request) feed(new HttpRequestParser(), "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"))
                        .keepAlive())
                .isTrue();
    }

    @Test
    void contentLengthAndChunkedBodiesAreSkippedNotReturned() {
        HttpRequestParser parser = new HttpRequestParser();
        String text = "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                + "POST /b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3;ext=1\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nTrailer: t\r\n\r\n" + GET;
        ByteBuffer in = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
        assertThat(((Request) parser.feed(in)).target()).isEqualTo("/a");
        assertThat(((Request) parser.feed(in)).target()).isEqualTo("/b");
        assertThat(((Request) parser.feed(in)).target()).isEqualTo("/page/1");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(
            strings = {
                "GET /\u0000 HTTP/1.1\r\nHost: x\r\n\r\n", // NUL in the request line
                "GE\u0001T / HTTP/1.1\r\nHost: x\r\n\r\n", // control character in the method
                "GET / HTTP/2.0\r\nHost: x\r\n\r\n", // bad versions
                "GET / HTTP/1.10\r\nHost: x\r\n\r\n",
                "GET / http/1.1\r\nHost: x\r\n\r\n",
                "GET /  HTTP/1.1\r\nHost: x\r\n\r\n", // two spaces
                "GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n",
                "GET / HTTP/1.1\r\nHost x\r\n\r\n", // header without colon
                "GET / HTTP/1.1\r\nHost : x\r\n\r\n", // space before the colon
                "GET / HTTP/1.1\r\nHost: x\r\nX: a\u0007b\r\n\r\n", // control character in a value
                "GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", // obsolete line folding
                "GET / HTTP/1.1\nHost: x\r\n\r\n", // bare LF
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\na", // two CL
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", // CL+TE
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1e3\r\n\r\n",
                "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
                "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\n", // overflow
                "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n",
                "GET / HTTP/1.1\r\n\r\n", // HTTP/1.1 without Host
                "/ HTTP/1.1\r\nHost: x\r\n\r\n",
            })
    void malformedRequestsGet400(String request) {
        Result r = feed(new HttpRequestParser(), request);
        assertThat(r).isInstanceOf(Reject.class);
        assertThat(((Reject) r).status()).isEqualTo(400);
    }

    @Test
    void twoKibOfLeadingEmptyLinesGet400() {
        Result r = feed(new HttpRequestParser(), "\r\n".repeat(1024) + GET);
        assertThat(r).isEqualTo(new Reject(400, "too many empty lines before the request line"));
    }

    @Test
    void aFewLeadingEmptyLinesAreTolerated() {
        assertThat(feed(new HttpRequestParser(), "\r\n\r\n" + GET)).isInstanceOf(Request.class);
    }

    @Test
    void rejectionIsFinal() {
        HttpRequestParser parser = new HttpRequestParser();
        assertThat(feed(parser, "BAD\r\n")).isInstanceOf(Reject.class);
        assertThat(feed(parser, GET)).isInstanceOf(Reject.class);
    }

    @Test
    void tenMibRequestLineGets414AfterAtMostTheLimitIsBuffered() {
        HttpRequestParser parser = new HttpRequestParser();
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        String start = "GET /";
        chunk.put(start.getBytes(StandardCharsets.US_ASCII));
        while (chunk.hasRemaining()) {
            chunk.put((byte) 'a');
        }
        Result r = parser.feed(chunk.flip());
        assertThat(r).isInstanceOf(Reject.class);
        assertThat(((Reject) r).status()).isEqualTo(414);
        assertThat(chunk.hasRemaining()).isFalse(); // consumed and dropped, never buffered past the limit
    }

    @Test
    void sixtyFiveKibHeaderNameGets431() {
        Result r =
                feed(new HttpRequestParser(), "GET / HTTP/1.1\r\nHost: x\r\n" + "A".repeat(65 * 1024) + ": v\r\n\r\n");
        assertThat(((Reject) r).status()).isEqualTo(431);
    }

    @Test
    void thousandHeadersGet431() {
        StringBuilder sb = new StringBuilder("GET / HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < 1000; i++) {
            sb.append("X-").append(i).append(": v\r\n");
        }
        Result r = feed(new HttpRequestParser(), sb.append("\r\n").toString());
        assertThat(((Reject) r).status()).isEqualTo(431);
    }

    @Test
    void headerSectionJustUnderTheLimitIsAccepted() {
        String filler = "X: " + "v".repeat(HttpRequestParser.MAX_HEADER_BYTES - 64) + "\r\n";
        Result r = feed(new HttpRequestParser(), "GET / HTTP/1.1\r\nHost: x\r\n" + filler + "\r\n");
        assertThat(r).isInstanceOf(Request.class);
    }
}
