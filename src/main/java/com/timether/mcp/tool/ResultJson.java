package com.timether.mcp.tool;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JacksonSerializable;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.TypeSerializer;

/**
 * A tool's result as JSON, encoded to UTF-8 once. A result carries that JSON twice, as structured content and, as the
 * spec asks, as text; the transport copies these bytes for both instead of having Jackson encode and escape the text
 * character by character, which was the largest share of the server's CPU samples for a page of 50 clients
 * (docs/benchmarks.md). Serialized by Jackson, it is the same JSON as a raw value, so every other path still works.
 */
public final class ResultJson extends JacksonSerializable.Base {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /**
     * Bytes per write: well under Jetty's aggregation size (a quarter of the 32 KB output buffer), since a larger
     * write commits the response and sends it in chunks, without its length.
     */
    static final int PIECE = 4096;

    private final byte[] utf8;
    private final String text;

    private ResultJson(byte[] utf8) {
        this.utf8 = utf8;
        this.text = new String(utf8, StandardCharsets.UTF_8);
    }

    /** {@code value} as JSON, written by the same mapper as every tool result. */
    public static ResultJson of(Object value) {
        return new ResultJson(JSON.writeValueAsBytes(value));
    }

    /** The successful result of a tool call: this JSON as its only text content and as its structured content. */
    public CallToolResult toResult() {
        return CallToolResult.builder()
                .structuredContent(this)
                .addTextContent(text)
                .isError(false)
                .build();
    }

    /**
     * The JSON of {@code result} when {@link #toResult()} built it and nothing was added since: then the result is
     * fully described by these bytes. Anything else (an error, other content, metadata) is empty.
     */
    public static Optional<ResultJson> of(CallToolResult result) {
        if (!(result.structuredContent() instanceof ResultJson json)
                || !Boolean.FALSE.equals(result.isError())
                || result.meta() != null
                || result.content().size() != 1
                || !(result.content().getFirst() instanceof TextContent content)) {
            return Optional.empty();
        }
        // The very string toResult gave the text content, with nothing beside it.
        boolean isOwnText = content.text() == json.text && content.annotations() == null && content.meta() == null;
        return isOwnText ? Optional.of(json) : Optional.empty();
    }

    /** The JSON as text. */
    public String text() {
        return text;
    }

    /**
     * Writes the JSON as a JSON string, as Jackson would write {@link #text()}. Jackson's own output holds no raw
     * control character (they are escaped inside strings and absent outside them), so quotes and backslashes are
     * the only bytes to escape; bytes of other characters are copied as they are.
     */
    public void writeAsString(OutputStream out) throws IOException {
        byte[] piece = new byte[PIECE + 2];
        int length = 0;
        piece[length++] = '"';
        for (byte b : utf8) {
            if (length >= PIECE) {
                out.write(piece, 0, length);
                length = 0;
            }
            if (b == '"' || b == '\\') {
                piece[length++] = '\\';
            }
            piece[length++] = b;
        }
        piece[length++] = '"';
        out.write(piece, 0, length);
    }

    /** Writes the JSON as it is. */
    public void writeRaw(OutputStream out) throws IOException {
        for (int offset = 0; offset < utf8.length; offset += PIECE) {
            out.write(utf8, offset, Math.min(PIECE, utf8.length - offset));
        }
    }

    @Override
    public void serialize(JsonGenerator gen, SerializationContext context) {
        gen.writeRawValue(text);
    }

    @Override
    public void serializeWithType(JsonGenerator gen, SerializationContext context, TypeSerializer types) {
        serialize(gen, context);
    }
}
