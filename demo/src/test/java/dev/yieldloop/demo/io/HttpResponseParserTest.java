package dev.yieldloop.demo.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The client-side parser: the three ways a body ends, fed whole and one byte at a time. */
class HttpResponseParserTest {

    private static final String BODY = "hello, slow world";

    private static long crc(String s) {
        CRC32 crc = new CRC32();
        crc.update(s.getBytes(StandardCharsets.US_ASCII));
        return crc.getValue();
    }

    private static HttpResponseParser feedByteByByte(String text) throws Exception {
        HttpResponseParser parser = new HttpResponseParser();
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < bytes.length; i++) {
            boolean done = parser.feed(ByteBuffer.wrap(bytes, i, 1));
            assertThat(done).isEqualTo(i == bytes.length - 1 && parser.isDone());
        }
        return parser;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void contentLengthBody(boolean byteByByte) throws Exception {
        String text = "HTTP/1.1 200 OK\r\nContent-Length: " + BODY.length() + "\r\n\r\n" + BODY;
        HttpResponseParser parser = byteByByte ? feedByteByByte(text) : new HttpResponseParser();
        if (!byteByByte) {
            assertThat(parser.feed(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII))))
                    .isTrue();
        }
        assertThat(parser.result()).isEqualTo(new HttpResult(200, BODY.length(), crc(BODY)));
        assertThat(parser.reusable()).isTrue();
    }

    @Test
    void chunkedBodyWithExtensionsAndTrailers() throws Exception {
        String text = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;x=y\r\nhello\r\nc\r\n, slow world\r\n0\r\nX-Trailer: 1\r\n\r\n";
        HttpResponseParser parser = feedByteByByte(text);
        assertThat(parser.result()).isEqualTo(new HttpResult(200, BODY.length(), crc(BODY)));
        assertThat(parser.reusable()).isTrue();
    }

    @Test
    void closeDelimitedBodyEndsAtEndOfStream() throws Exception {
        HttpResponseParser parser = feedByteByByte("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + BODY);
        assertThat(parser.isDone()).isFalse();
        assertThat(parser.endOfStream()).isTrue();
        assertThat(parser.result()).isEqualTo(new HttpResult(200, BODY.length(), crc(BODY)));
        assertThat(parser.reusable()).isFalse();
    }

    @Test
    void pipelinedBytesAfterTheResponseStayUnread() throws Exception {
        String first = "HTTP/1.1 204 No Content\r\n\r\n";
        ByteBuffer in = ByteBuffer.wrap((first + "HTTP/1.1 200 OK\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(new HttpResponseParser().feed(in)).isTrue();
        assertThat(in.position()).isEqualTo(first.length());
    }

    @Test
    void truncatedResponsesFailAtEndOfStream() throws Exception {
        HttpResponseParser parser = feedByteByByte("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort");
        assertThatThrownBy(parser::endOfStream)
                .isInstanceOf(EOFException.class)
                .hasMessageContaining("after 5 of 100 body bytes");
        assertThatThrownBy(new HttpResponseParser()::endOfStream).isInstanceOf(EOFException.class);
    }

    @Test
    void garbageIsAProtocolError() {
        assertThatThrownBy(() -> new HttpResponseParser()
                        .feed(ByteBuffer.wrap("SSH-2.0-OpenSSH\r\n".getBytes(StandardCharsets.US_ASCII))))
                .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> new HttpResponseParser()
                        .feed(ByteBuffer.wrap("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n"
                                .getBytes(StandardCharsets.US_ASCII))))
                .isInstanceOf(ProtocolException.class);
    }
}
