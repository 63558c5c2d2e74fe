package com.timether.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.http.HttpServletResponse;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeldResponseTest {

    @Test
    void body_writtenThroughTheWriter_isEveryPieceInOrderAsUtf8() {
        HeldResponse held = new HeldResponse(response());

        PrintWriter writer = held.getWriter();
        writer.write("{\"name\":\"Zoë ");
        writer.write(new char[] {'G', 'r', 'ü', 'n'}, 0, 4);
        writer.write('"');
        writer.print("}");

        assertThat(new String(held.body(), StandardCharsets.UTF_8)).isEqualTo("{\"name\":\"Zoë Grün\"}");
        assertThat(held.body()).hasSize("{\"name\":\"Zoë Grün\"}".getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void body_oneStringFromTheWriter_isThatStringsBytes() {
        HeldResponse held = new HeldResponse(response());
        String answer = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"text\":\"ok\"}}";

        held.getWriter().write(answer);

        assertThat(held.body()).isEqualTo(answer.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void body_writtenThroughTheStream_isTheBytesWritten() throws Exception {
        HeldResponse held = new HeldResponse(response());

        held.getOutputStream().write("abc".getBytes(StandardCharsets.UTF_8));
        held.getOutputStream().write('d');

        assertThat(held.body()).isEqualTo("abcd".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void getWriterAndGetOutputStream_onOneResponse_areRefusedAsTheServletSpecificationSays() {
        HeldResponse writing = new HeldResponse(response());
        writing.getWriter();
        HeldResponse streaming = new HeldResponse(response());
        streaming.getOutputStream();

        assertThatThrownBy(writing::getOutputStream)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("getWriter() was already called on this response");
        assertThatThrownBy(streaming::getWriter)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("getOutputStream() was already called on this response");
    }

    @Test
    void body_nothingWritten_isEmpty() {
        assertThat(new HeldResponse(response()).body()).isEmpty();
    }

    /** A response the wrapper never reaches for the body: any call on it fails the test. */
    private static HttpServletResponse response() {
        return (HttpServletResponse) Proxy.newProxyInstance(
                HeldResponseTest.class.getClassLoader(), new Class<?>[] {HttpServletResponse.class}, (p, m, a) -> {
                    throw new AssertionError("the held body reached the real response: " + m.getName());
                });
    }
}
