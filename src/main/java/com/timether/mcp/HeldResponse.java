package com.timether.mcp;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The transport's answer held back until complete, so that an error the SDK wrote as its McpError exception
 * object (stack trace included, modelcontextprotocol/java-sdk#955) can be rewritten before it is sent.
 *
 * <p>The SDK writes its answer as one string through {@link #getWriter()}; the writer keeps the strings it is given
 * and encodes them once, at the end. Encoding through an {@code OutputStreamWriter} into a growing byte array
 * copied each answer four times and was a third of the bytes a list call allocated (docs/benchmarks.md).
 */
final class HeldResponse extends HttpServletResponseWrapper {
    private final List<String> written = new ArrayList<>(1);
    private PrintWriter writer;
    private HoldingStream stream;

    HeldResponse(HttpServletResponse response) {
        super(response);
    }

    /** Everything written, as UTF-8 bytes. */
    byte[] body() {
        if (writer != null) {
            writer.flush();
            return written.size() == 1
                    ? written.getFirst().getBytes(StandardCharsets.UTF_8)
                    : String.join("", written).getBytes(StandardCharsets.UTF_8);
        }
        return stream == null ? new byte[0] : stream.bytes.toByteArray();
    }

    @Override
    public PrintWriter getWriter() {
        if (stream != null) {
            throw new IllegalStateException("getOutputStream() was already called on this response");
        }
        if (writer == null) {
            writer = new PrintWriter(new HoldingWriter());
        }
        return writer;
    }

    @Override
    public void flushBuffer() {
        if (writer != null) {
            writer.flush();
        }
    }

    @Override
    public ServletOutputStream getOutputStream() {
        if (writer != null) {
            throw new IllegalStateException("getWriter() was already called on this response");
        }
        if (stream == null) {
            stream = new HoldingStream();
        }
        return stream;
    }

    /** Keeps each string as written; characters written one by one become strings of their own. */
    private final class HoldingWriter extends Writer {
        @Override
        public void write(String text, int offset, int length) {
            written.add(offset == 0 && length == text.length() ? text : text.substring(offset, offset + length));
        }

        @Override
        public void write(char[] chars, int offset, int length) {
            written.add(new String(chars, offset, length));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    private static final class HoldingStream extends ServletOutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public void write(int b) {
            bytes.write(b);
        }

        @Override
        public void write(byte[] data, int offset, int length) {
            bytes.write(data, offset, length);
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            throw new UnsupportedOperationException("synchronous writes only");
        }
    }
}
