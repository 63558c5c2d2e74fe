package com.timether.platform.http;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads and throws away the rest of a request body the server refuses, so the client receives the refusal.
 *
 * <p>A server that answers before reading a body and then closes the connection leaves unread bytes in its
 * socket; the kernel then resets the connection, and the client may lose the answer along with it. Reading the
 * rest avoids that and lets the connection serve the next request. A body past {@link #MAX_DISCARDED_BYTES} is
 * not worth the bandwidth: the caller answers and closes, and such a client may see a reset.
 */
public final class RefusedBody {
    /** The most bytes read and thrown away after a refusal. */
    public static final long MAX_DISCARDED_BYTES = 1024 * 1024;

    private RefusedBody() {}

    /**
     * Reads the rest of the request body, up to {@link #MAX_DISCARDED_BYTES}.
     *
     * @return whether the body was read to its end, so the connection may carry another request
     */
    public static boolean discard(HttpServletRequest request) {
        long declared = request.getContentLengthLong();
        if (declared > MAX_DISCARDED_BYTES) {
            return false;
        }
        try {
            InputStream in = request.getInputStream();
            byte[] buffer = new byte[8192];
            long read = 0;
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                read += n;
                if (read > MAX_DISCARDED_BYTES) {
                    return false;
                }
            }
            return true;
        } catch (IOException | IllegalStateException e) {
            // The client went away, or the body was already taken as a reader: nothing more to read here.
            return false;
        }
    }
}
