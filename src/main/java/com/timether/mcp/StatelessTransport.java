package com.timether.mcp;

import com.timether.mcp.tool.ResultJson;
import com.timether.oauth.check.Principal;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The SDK's stateless server, reached with a message {@link McpServlet} has already read, checked and parsed. The
 * answer is serialized once, straight into the response's buffer. The SDK's servlet transport read the body a second
 * time, parsed it twice more, built the answer as a string before encoding it, and wrote an {@code McpError} as the
 * exception object, stack trace included (modelcontextprotocol/java-sdk#955).
 */
final class StatelessTransport implements McpStatelessServerTransport {
    private static final Logger LOG = LoggerFactory.getLogger(StatelessTransport.class);

    private static final byte[] RESPONSE_START = ascii("{\"jsonrpc\":\"" + McpSchema.JSONRPC_VERSION + "\",\"id\":");
    private static final byte[] RESULT_START = ascii(",\"result\":{\"content\":[{\"type\":\"text\",\"text\":");
    private static final byte[] STRUCTURED_CONTENT = ascii("}],\"isError\":false,\"structuredContent\":");
    private static final byte[] RESPONSE_END = ascii("}}");

    private final JsonMapper json;
    /** Writes answers into the response's buffer and leaves it there, so that a failed answer can still be replaced. */
    private final ObjectWriter answers;

    private volatile McpStatelessServerHandler handler;
    private volatile boolean isClosing;

    /** @param json the mapper the SDK's server was given, so that messages are read and written as the SDK would */
    StatelessTransport(JsonMapper json) {
        this.json = json;
        // Neither closed nor flushed: a flush would send the answer in chunks, without its length.
        this.answers = json.writer()
                .without(StreamWriteFeature.AUTO_CLOSE_TARGET)
                .without(StreamWriteFeature.FLUSH_PASSED_TO_STREAM);
    }

    @Override
    public void setMcpHandler(McpStatelessServerHandler handler) {
        this.handler = handler;
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(() -> isClosing = true);
    }

    /**
     * Answers one JSON-RPC message sent by {@code principal}: a request with 200 and its response, a notification
     * (no id) with 202 and no body. {@code message} is an object with a string method and, when present, object
     * params ({@link McpServlet} checked both).
     */
    void serve(JsonNode message, Principal principal, HttpServletResponse response) throws IOException {
        if (isClosing) {
            McpServlet.reply(response, 503, McpServlet.jsonRpcError(-32603, "The server is shutting down; retry"));
            return;
        }
        McpTransportContext context = McpTransportContext.create(Map.of(ToolRegistry.PRINCIPAL, principal));
        if (!message.has("id")) {
            notify(message, context, response);
            return;
        }
        McpSchema.JSONRPCRequest request;
        try {
            request = json.convertValue(message, McpSchema.JSONRPCRequest.class);
        } catch (RuntimeException e) {
            LOG.debug("mcp request not readable as JSON-RPC", e);
            McpServlet.reply(
                    response, 400, McpServlet.jsonRpcError(-32600, "Invalid request: not a JSON-RPC 2.0 request"));
            return;
        }
        McpSchema.JSONRPCResponse answer;
        try {
            answer = handler.handleRequest(context, request)
                    .contextWrite(ctx -> ctx.put(McpTransportContext.KEY, context))
                    .block();
        } catch (RuntimeException e) {
            // A fault, not a refusal: tools answer refusals as results. The details stay in the log.
            LOG.error("mcp request {} failed", request.method(), e);
            internalError(response, request.id());
            return;
        }
        write(answer, request, response);
    }

    /**
     * Writes the answer straight into the response's buffer, which Jetty sends with its length when the answer fits
     * (a page of 50 clients does, at 17 KB of 32). Serializing to a byte array first was a quarter of the bytes a list
     * call allocated. Jetty's character writer is not used: it encoded in small chunks (docs/benchmarks.md).
     */
    private void write(McpSchema.JSONRPCResponse answer, McpSchema.JSONRPCRequest request, HttpServletResponse response)
            throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("application/json");
        Optional<ResultJson> result = answer.result() instanceof McpSchema.CallToolResult call
                        && answer.error() == null
                        && McpSchema.JSONRPC_VERSION.equals(answer.jsonrpc())
                ? ResultJson.of(call)
                : Optional.empty();
        try {
            if (result.isPresent()) {
                writeToolResult(answer.id(), result.get(), response.getOutputStream());
            } else {
                answers.writeValue(response.getOutputStream(), answer);
            }
        } catch (RuntimeException e) {
            LOG.error("mcp answer to {} could not be written", request.method(), e);
            if (response.isCommitted()) {
                // Part of the answer is on its way: failing the exchange is all that is left to do.
                throw e;
            }
            response.resetBuffer();
            internalError(response, request.id());
        }
    }

    /**
     * Writes a tool's successful result from its JSON bytes: the same bytes Jackson writes for that answer
     * (StatelessTransportTest compares them), without encoding the text once more.
     */
    private void writeToolResult(Object id, ResultJson result, OutputStream out) throws IOException {
        out.write(RESPONSE_START);
        out.write(json.writeValueAsBytes(id));
        out.write(RESULT_START);
        result.writeAsString(out);
        out.write(STRUCTURED_CONTENT);
        result.writeRaw(out);
        out.write(RESPONSE_END);
    }

    private void notify(JsonNode message, McpTransportContext context, HttpServletResponse response)
            throws IOException {
        try {
            McpSchema.JSONRPCNotification notification =
                    json.convertValue(message, McpSchema.JSONRPCNotification.class);
            handler.handleNotification(context, notification)
                    .contextWrite(ctx -> ctx.put(McpTransportContext.KEY, context))
                    .block();
        } catch (RuntimeException e) {
            LOG.error("mcp notification {} failed", message.path("method").asString(""), e);
            internalError(response, null);
            return;
        }
        response.setStatus(HttpServletResponse.SC_ACCEPTED);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** A fault's answer: 500 and a JSON-RPC error that says nothing of the fault (its details went to the log). */
    private static void internalError(HttpServletResponse response, Object id) throws IOException {
        McpServlet.reply(response, 500, McpServlet.jsonRpcError(id, -32603, "Internal error"));
    }
}
