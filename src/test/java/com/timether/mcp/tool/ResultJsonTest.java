package com.timether.mcp.tool;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class ResultJsonTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Every character a JSON string escapes, and some it does not (non-ASCII, a surrogate pair, line separators). */
    private static final Map<String, Object> TRICKY = Map.of(
            "name", "\"Quoted\" & back\\slash </script> a/b",
            "text", "Line 1\nLine 2\tTab\r\b\f\u0000\u0001\u001f\u007f",
            "note", "Zoë, 東京, \uD83D\uDE00, \u2028\u2029",
            "nested", Map.of("escaped", "\\\"", "list", List.of(1, 2.5, true)));

    @Test
    void writeAsString_writesTheBytesJacksonWritesForTheTextAsAString() throws Exception {
        ResultJson json = ResultJson.of(TRICKY);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        json.writeAsString(out);

        assertThat(out.toByteArray()).isEqualTo(JSON.writeValueAsBytes(json.text()));
        assertThat(JSON.readValue(JSON.readValue(out.toByteArray(), String.class), Map.class))
                .isEqualTo(TRICKY);
    }

    @Test
    void writeAsStringAndWriteRaw_largeJson_writeNoPieceLargerThanTheLimit() throws Exception {
        List<Object> rows = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            rows.add(TRICKY);
        }
        ResultJson json = ResultJson.of(Map.of("rows", rows));
        PieceRecorder quoted = new PieceRecorder();
        PieceRecorder raw = new PieceRecorder();

        json.writeAsString(quoted);
        json.writeRaw(raw);

        assertThat(quoted.toByteArray()).isEqualTo(JSON.writeValueAsBytes(json.text()));
        assertThat(raw.toString(StandardCharsets.UTF_8)).isEqualTo(json.text());
        assertThat(quoted.largest).isLessThanOrEqualTo(ResultJson.PIECE + 2);
        assertThat(raw.largest).isLessThanOrEqualTo(ResultJson.PIECE);
        assertThat(raw.pieces).isGreaterThan(10);
    }

    @Test
    void of_resultItBuilt_isThatJson() {
        ResultJson json = ResultJson.of(TRICKY);
        CallToolResult result = json.toResult();

        assertThat(ResultJson.of(result)).containsSame(json);
        assertThat(((TextContent) result.content().getFirst()).text()).isEqualTo(JSON.writeValueAsString(TRICKY));
        assertThat(JSON.writeValueAsString(result.structuredContent())).isEqualTo(json.text());
    }

    @Test
    void of_resultChangedOrBuiltElsewhere_isEmpty() {
        ResultJson json = ResultJson.of(TRICKY);
        // The same text, but not the string toResult gave it: nothing proves it is this JSON.
        String copy = new String(json.text().toCharArray());

        assertThat(ResultJson.of(result(json, false, null, copy))).isEmpty();
        assertThat(ResultJson.of(result(json, false, null, json.text(), "more")))
                .isEmpty();
        assertThat(ResultJson.of(result(json, true, null, json.text()))).isEmpty();
        assertThat(ResultJson.of(result(json, false, Map.of("k", "v"), json.text())))
                .isEmpty();
        assertThat(ResultJson.of(result(TRICKY, false, null, json.text()))).isEmpty();
        assertThat(ResultJson.of(result(json, false, null, json.text()))).containsSame(json);
    }

    private static CallToolResult result(
            Object structured, boolean isError, Map<String, Object> meta, String... texts) {
        CallToolResult.Builder result = CallToolResult.builder()
                .structuredContent(structured)
                .isError(isError)
                .meta(meta);
        for (String text : texts) {
            result.addTextContent(text);
        }
        return result.build();
    }

    /** Records the size of each write. */
    private static final class PieceRecorder extends ByteArrayOutputStream {
        int largest;
        int pieces;

        @Override
        public void write(byte[] b, int off, int len) {
            largest = Math.max(largest, len);
            pieces++;
            super.write(b, off, len);
        }
    }
}
