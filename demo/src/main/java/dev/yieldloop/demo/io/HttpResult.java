package dev.yieldloop.demo.io;

/**
 * What a download brought back, without the body itself.
 *
 * @param status the HTTP status code
 * @param bodyBytes the body size, in bytes
 * @param crc32 the CRC-32 of the body
 */
public record HttpResult(int status, long bodyBytes, long crc32) {

    /**
     * Whether the status is a success (2xx).
     *
     * @return true for 200–299
     */
    public boolean ok() {
        return status >= 200 && status < 300;
    }
}
