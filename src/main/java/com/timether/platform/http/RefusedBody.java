package com.timether.platform.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads and throws away what is left of a request body after a refusal, so the client receives the refusal.
 *
 * <p>A server that answers before reading a body and then closes the connection leaves unread bytes in its
 * socket; the kernel then resets the connection, and the client may lose the answer along with it (an
 * oversized body, or a large call with an expired token). Reading the rest avoids that and lets the connection
 * carry the next request. More than {@link #MAX_DISCARDED_BYTES} is not worth the bandwidth: Jetty then closes
 * the connection, and such a client may see a reset instead of the answer.
 */
public final class RefusedBody implements Filter {
    /** The most bytes read and thrown away after a refusal. */
    public static final long MAX_DISCARDED_BYTES = 1024 * 1024;

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        boolean isTooLong = request.getContentLengthLong() > MAX_DISCARDED_BYTES;
        if (isTooLong) {
            // No route takes a body this large, so it will be refused and left unread: the connection ends with it.
            ((HttpServletResponse) response).setHeader("Connection", "close");
        }
        chain.doFilter(request, response);
        if (((HttpServletResponse) response).getStatus() >= 400 && !isTooLong && !awaitsContinue(request)) {
            discard(request);
        }
    }

    /**
     * Whether the client waits for a go-ahead before it sends the body. Reading would give it one, so that it sends
     * a body only to have it thrown away; left unread, the body is never sent and nothing is left in the socket.
     */
    private static boolean awaitsContinue(ServletRequest request) {
        return "100-continue".equalsIgnoreCase(((HttpServletRequest) request).getHeader("Expect"));
    }

    private static void discard(ServletRequest request) {
        try {
            InputStream in = request.getInputStream();
            byte[] buffer = new byte[8192];
            long read = 0;
            for (int n = in.read(buffer); n >= 0 && read <= MAX_DISCARDED_BYTES; n = in.read(buffer)) {
                read += n;
            }
        } catch (IOException | IllegalStateException e) {
            // The client went away, or the body was taken as a reader and read already: nothing left to do.
        }
    }
}
