package dev.yieldloop.demo.io;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A plain-HTTP URL the demo can download: host, port and the request target ({@code path?query}).
 *
 * @param host the host name or address, as written
 * @param port the TCP port (80 unless given)
 * @param target the request target, at least {@code /}
 */
public record HttpUrl(String host, int port, String target) {

    /**
     * Parses and checks a URL.
     *
     * @param text e.g. {@code http://127.0.0.1:8080/page/1}
     * @return the URL
     * @throws IllegalArgumentException with a message naming the problem, for anything but an absolute {@code http}
     *     URL with a host (HTTPS is out of scope: the demo measures waiting, not TLS)
     */
    public static HttpUrl parse(String text) {
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("malformed URL '" + text + "': " + e.getReason(), e);
        }
        String scheme = uri.getScheme();
        if (scheme == null || !scheme.toLowerCase(Locale.ROOT).equals("http")) {
            throw new IllegalArgumentException("not a plain-HTTP URL '" + text + "': only http:// is supported");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("URL without a host: '" + text + "'");
        }
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        return new HttpUrl(uri.getHost(), port, target);
    }

    /**
     * The {@code Host} header value.
     *
     * @return {@code host} or {@code host:port} when the port is not 80
     */
    public String hostHeader() {
        return port == 80 ? host : host + ":" + port;
    }

    /**
     * The bytes of a keep-alive GET request for this URL.
     *
     * @return the request head, ASCII
     */
    public byte[] getRequest() {
        return ("GET " + target + " HTTP/1.1\r\nHost: " + hostHeader()
                        + "\r\nUser-Agent: yieldloop-demo\r\nAccept: */*\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return "http://" + hostHeader() + target;
    }
}
