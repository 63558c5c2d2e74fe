package com.timether.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.timether.access.Role;
import com.timether.access.Scope;
import com.timether.mcp.tool.ResultJson;
import com.timether.oauth.check.Principal;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The transport on its own: what reaches the SDK's handler, and what each outcome writes to the response. */
class StatelessTransportTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Principal PRINCIPAL = new Principal(
            UUID.randomUUID(),
            "client",
            "Client",
            UUID.randomUUID(),
            "ada@example.com",
            "Ada",
            UUID.randomUUID(),
            Role.OWNER,
            null,
            Scope.WRITE);

    private final StatelessTransport transport = new StatelessTransport(JsonMapper.shared());
    private final AtomicReference<McpTransportContext> seenContext = new AtomicReference<>();
    private final AtomicReference<Object> seen = new AtomicReference<>();

    @Test
    void serve_request_answers200WithTheHandlersResponseLeftInTheBufferInOneWrite() throws Exception {
        transport.setMcpHandler(handler(request ->
                Mono.just(new McpSchema.JSONRPCResponse("2.0", request.id(), Map.of("tools", List.of()), null))));
        Recorded response = new Recorded();

        transport.serve(
                message("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/list\"}"), PRINCIPAL, response.proxy());

        assertThat(response.status).isEqualTo(200);
        assertThat(response.contentType).isEqualTo("application/json");
        assertThat(response.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"tools\":[]}}");
        // Neither flushed nor closed: Jetty sends a buffered answer with its length when the exchange ends.
        assertThat(response.writes).isEqualTo(1);
        assertThat(response.flushes).isZero();
        assertThat(response.isClosed).isFalse();
        assertThat(((McpSchema.JSONRPCRequest) seen.get()).method()).isEqualTo("tools/list");
        assertThat(seenContext.get().get(ToolRegistry.PRINCIPAL)).isSameAs(PRINCIPAL);
    }

    @Test
    void serve_handlerFails_answers500InternalErrorForTheRequestIdWithoutTheFaultsDetails() throws Exception {
        transport.setMcpHandler(
                handler(request -> Mono.error(new IllegalStateException("secret detail at com.timether.Somewhere"))));
        Recorded response = new Recorded();

        transport.serve(
                message("{\"jsonrpc\":\"2.0\",\"id\":\"a-1\",\"method\":\"tools/list\"}"), PRINCIPAL, response.proxy());

        assertThat(response.status).isEqualTo(500);
        assertThat(JSON.readTree(response.body()))
                .isEqualTo(JSON.readTree("{\"jsonrpc\":\"2.0\",\"id\":\"a-1\","
                        + "\"error\":{\"code\":-32603,\"message\":\"Internal error\"}}"));
        assertThat(response.body()).doesNotContain("secret", "Exception", "com.timether");
    }

    @Test
    void serve_answerThatCannotBeWritten_answers500InsteadOfThePartWrittenSoFar() throws Exception {
        transport.setMcpHandler(handler(
                request -> Mono.just(new McpSchema.JSONRPCResponse("2.0", request.id(), new Unwritable(), null))));
        Recorded response = new Recorded();

        transport.serve(
                message("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/list\"}"), PRINCIPAL, response.proxy());

        assertThat(response.status).isEqualTo(500);
        assertThat(JSON.readTree(response.body()))
                .isEqualTo(JSON.readTree(
                        "{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32603,\"message\":\"Internal error\"}}"));
    }

    @Test
    void serve_answerFailsAfterPartWasSent_failsTheExchangeInsteadOfEndingItAsIfComplete() {
        transport.setMcpHandler(handler(
                request -> Mono.just(new McpSchema.JSONRPCResponse("2.0", request.id(), new Unwritable(), null))));
        Recorded response = new Recorded();
        response.isCommitted = true;

        assertThatThrownBy(() -> transport.serve(
                        message("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/list\"}"),
                        PRINCIPAL,
                        response.proxy()))
                .isInstanceOf(JacksonException.class)
                .hasMessageContaining("not writable");
        assertThat(response.isClosed).isFalse();
    }

    @Test
    void serve_notification_answers202WithoutABodyAndReachesTheHandler() throws Exception {
        transport.setMcpHandler(handler(request -> Mono.error(new AssertionError("not a request"))));
        Recorded response = new Recorded();

        transport.serve(
                message("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"), PRINCIPAL, response.proxy());

        assertThat(response.status).isEqualTo(202);
        assertThat(response.bytes.size()).isZero();
        assertThat(((McpSchema.JSONRPCNotification) seen.get()).method()).isEqualTo("notifications/initialized");
    }

    @Test
    void serve_notificationHandlerFails_answers500WithoutTheFaultsDetails() throws Exception {
        transport.setMcpHandler(handler(
                request -> Mono.error(new AssertionError("not a request")),
                notification -> Mono.error(new IllegalStateException("secret detail"))));
        Recorded response = new Recorded();

        transport.serve(
                message("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"), PRINCIPAL, response.proxy());

        assertThat(response.status).isEqualTo(500);
        assertThat(JSON.readTree(response.body()).path("error").path("message").asString())
                .isEqualTo("Internal error");
        assertThat(response.body()).doesNotContain("secret");
    }

    @Test
    void serve_afterCloseGracefully_answers503AndRunsNothing() throws Exception {
        transport.setMcpHandler(handler(request -> Mono.error(new AssertionError("must not run"))));
        transport.closeGracefully().block();
        Recorded response = new Recorded();

        transport.serve(
                message("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}"), PRINCIPAL, response.proxy());

        assertThat(response.status).isEqualTo(503);
        assertThat(JSON.readTree(response.body()).path("error").path("code").asInt())
                .isEqualTo(-32603);
        assertThat(seen.get()).isNull();
    }

    @Test
    void serve_messageNotReadableAsJsonRpc_answers400InvalidRequestAndRunsNothing() throws Exception {
        transport.setMcpHandler(handler(request -> Mono.error(new AssertionError("must not run"))));
        Recorded response = new Recorded();

        transport.serve(
                message("{\"jsonrpc\":{\"version\":2},\"id\":1,\"method\":\"tools/list\"}"),
                PRINCIPAL,
                response.proxy());

        assertThat(response.status).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).path("error").path("code").asInt())
                .isEqualTo(-32600);
        assertThat(seen.get()).isNull();
    }

    @Test
    void serve_toolResult_writesTheBytesJacksonWritesForTheAnswer() throws Exception {
        for (Object id : List.of(7, "call \"one\" \\ 2")) {
            McpSchema.CallToolResult result = ResultJson.of(page(3)).toResult();
            transport.setMcpHandler(
                    handler(request -> Mono.just(new McpSchema.JSONRPCResponse("2.0", request.id(), result, null))));
            Recorded response = new Recorded();

            transport.serve(
                    message(JSON.writeValueAsString(
                            Map.of("jsonrpc", "2.0", "id", id, "method", "tools/call", "params", Map.of()))),
                    PRINCIPAL,
                    response.proxy());

            McpSchema.JSONRPCResponse answer = new McpSchema.JSONRPCResponse("2.0", id, result, null);
            assertThat(response.status).isEqualTo(200);
            assertThat(response.bytes.toByteArray())
                    .isEqualTo(JsonMapper.shared().writeValueAsBytes(answer));
            JsonNode written = JSON.readTree(response.body()).path("result");
            assertThat(JSON.readTree(
                            written.path("content").path(0).path("text").asString()))
                    .isEqualTo(written.path("structuredContent"))
                    .isEqualTo(JSON.valueToTree(page(3)));
        }
    }

    @Test
    void serve_toolResultLargerThanTheResponseBuffer_isWrittenInPiecesJettyKeepsWithoutFlushing() throws Exception {
        McpSchema.CallToolResult result = ResultJson.of(page(400)).toResult();
        transport.setMcpHandler(
                handler(request -> Mono.just(new McpSchema.JSONRPCResponse("2.0", request.id(), result, null))));
        Recorded response = new Recorded();

        transport.serve(
                message("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\"}"), PRINCIPAL, response.proxy());

        assertThat(response.bytes.size()).isGreaterThan(100_000);
        assertThat(response.bytes.toByteArray())
                .isEqualTo(
                        JsonMapper.shared().writeValueAsBytes(new McpSchema.JSONRPCResponse("2.0", 9, result, null)));
        // Jetty aggregates writes up to a quarter of its 32 KB buffer; a larger one would be sent at once, in chunks.
        assertThat(response.largestWrite).isLessThanOrEqualTo(8192);
        assertThat(response.flushes).isZero();
    }

    @Test
    void serve_toolResultWithOtherText_writesThatTextNotTheJson() throws Exception {
        McpSchema.CallToolResult result = McpSchema.CallToolResult.builder()
                .structuredContent(ResultJson.of(page(1)))
                .addTextContent("One client.")
                .isError(false)
                .build();
        transport.setMcpHandler(
                handler(request -> Mono.just(new McpSchema.JSONRPCResponse("2.0", request.id(), result, null))));
        Recorded response = new Recorded();

        transport.serve(
                message("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\"}"), PRINCIPAL, response.proxy());

        JsonNode written = JSON.readTree(response.body()).path("result");
        assertThat(written.path("content").path(0).path("text").asString()).isEqualTo("One client.");
        assertThat(written.path("structuredContent")).isEqualTo(JSON.valueToTree(page(1)));
    }

    /** A page of clients whose values hold every kind of character a JSON string escapes, and some it does not. */
    private static Map<String, Object> page(int size) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", new UUID(0, i).toString());
            row.put("name", "\"Quoted\" & back\\slash " + i + " </script>");
            row.put("address", "Line 1\nLine 2\tTab\r\u0001\u001f\u007f");
            row.put("note", "Zoë, 東京, \uD83D\uDE00, \u2028\u2029 a/b");
            row.put("amount", i * 1.5);
            row.put("archived", i % 2 == 0);
            row.put("email", null);
            rows.add(row);
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("clients", rows);
        page.put("has_more", false);
        page.put("next_cursor", null);
        return page;
    }

    /** A result Jackson starts to write and fails on. */
    public record Unwritable() {
        public String getPart() {
            throw new IllegalStateException("not writable");
        }
    }

    private McpStatelessServerHandler handler(
            Function<McpSchema.JSONRPCRequest, Mono<McpSchema.JSONRPCResponse>> answer) {
        return handler(answer, notification -> Mono.empty());
    }

    private McpStatelessServerHandler handler(
            Function<McpSchema.JSONRPCRequest, Mono<McpSchema.JSONRPCResponse>> answer,
            Function<McpSchema.JSONRPCNotification, Mono<Void>> onNotification) {
        return new McpStatelessServerHandler() {
            @Override
            public Mono<McpSchema.JSONRPCResponse> handleRequest(
                    McpTransportContext context, McpSchema.JSONRPCRequest request) {
                seenContext.set(context);
                seen.set(request);
                return answer.apply(request);
            }

            @Override
            public Mono<Void> handleNotification(
                    McpTransportContext context, McpSchema.JSONRPCNotification notification) {
                seenContext.set(context);
                seen.set(notification);
                return onNotification.apply(notification);
            }
        };
    }

    private static JsonNode message(String json) {
        return JSON.readTree(json);
    }

    /** A response that records what the transport sets and writes. */
    private static final class Recorded {
        int status = -1;
        String contentType;
        int writes;
        int largestWrite;
        int flushes;
        boolean isCommitted;
        boolean isClosed;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        String body() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        HttpServletResponse proxy() {
            ServletOutputStream out = new ServletOutputStream() {
                @Override
                public void write(int b) {
                    writes++;
                    bytes.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    writes++;
                    largestWrite = Math.max(largestWrite, len);
                    bytes.write(b, off, len);
                }

                @Override
                public void flush() {
                    flushes++;
                }

                @Override
                public void close() {
                    isClosed = true;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {}
            };
            return (HttpServletResponse) Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] {HttpServletResponse.class}, (p, method, args) -> {
                        switch (method.getName()) {
                            case "setStatus" -> status = (int) args[0];
                            case "setContentType" -> contentType = (String) args[0];
                            case "getOutputStream" -> {
                                return out;
                            }
                            case "isCommitted" -> {
                                return isCommitted;
                            }
                            case "resetBuffer" -> bytes.reset();
                            default -> throw new UnsupportedOperationException(method.getName());
                        }
                        return null;
                    });
        }
    }
}
