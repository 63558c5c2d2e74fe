package com.timether.mcp;

import com.timether.mcp.tool.ResultJson;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;

/**
 * The SDK's schema validator for tool arguments, with tool results validated only when asked.
 *
 * <p>Arguments come from the model and are always validated. Results come from our own handlers; validating each one
 * against its output schema took a quarter of the server's CPU time for a page of 50 clients (docs/benchmarks.md), so
 * production skips it and the tests, which run every tool, switch it on ({@code TIMETHER_MCP_CHECK_OUTPUTS}). The SDK
 * hands this validator the very output schema map each tool was declared with, so output schemas are told apart by
 * identity.
 */
final class ToolSchemaValidator implements JsonSchemaValidator {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JsonSchemaValidator delegate = McpJsonDefaults.getSchemaValidator();
    private final Set<Map<String, Object>> outputSchemas = Collections.newSetFromMap(new IdentityHashMap<>());
    private final boolean isCheckingOutputs;

    ToolSchemaValidator(boolean isCheckingOutputs) {
        this.isCheckingOutputs = isCheckingOutputs;
    }

    /**
     * Registers a tool's output schema; returns it. Only while the endpoint is built, before the server starts its
     * request threads, so that calls read the set without a lock (starting a thread orders what came before it).
     */
    Map<String, Object> output(Map<String, Object> schema) {
        outputSchemas.add(schema);
        return schema;
    }

    @Override
    public ValidationResponse validate(Map<String, Object> schema, Object content) {
        if (!isCheckingOutputs && isOutputSchema(schema)) {
            return ValidationResponse.asValid(null);
        }
        // Tool results reach the SDK as JSON (ToolExecutor.ok); the delegate validates values.
        Object value = content instanceof ResultJson json ? JSON.readValue(json.text(), Object.class) : content;
        ValidationResponse response = delegate.validate(schema, value);
        if (response.valid() || isOutputSchema(schema)) {
            return response;
        }
        return ValidationResponse.asInvalid(SentValues.describe(response.errorMessage(), value));
    }

    private boolean isOutputSchema(Map<String, Object> schema) {
        return outputSchemas.contains(schema);
    }
}
