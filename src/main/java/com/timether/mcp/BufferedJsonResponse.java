package com.timether.mcp;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/**
 * A response whose writer collects the transport's whole JSON answer, which {@link #send()} then writes in one go
 * with its length. Jetty's own writer encodes in small chunks; for a page of 50 clients that took about a sixth of
 * the server's CPU time (docs/benchmarks.md).
 */
final class BufferedJsonResponse extends HttpServletResponseWrapper {
    private final StringWriter text = new StringWriter(8192);
    private final PrintWriter writer = new PrintWriter(text);
    private boolean isWriterUsed;

    BufferedJsonResponse(HttpServletResponse response) {
        super(response);
    }

    @Override
    public PrintWriter getWriter() {
        isWriterUsed = true;
        return writer;
    }

    /** Writes what the transport wrote to the writer, if it used it. */
    void send() throws IOException {
        if (!isWriterUsed) {
            return;
        }
        writer.flush();
        byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
        HttpServletResponse response = (HttpServletResponse) getResponse();
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
