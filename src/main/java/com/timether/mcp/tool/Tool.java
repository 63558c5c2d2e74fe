package com.timether.mcp.tool;

import com.timether.access.Requirement;
import java.util.Map;
import java.util.Optional;

/**
 * One MCP tool and everything declared about it: from this single declaration come {@code tools/list} filtering,
 * the call-time check, the annotations, the input and output schemas and the safeguards of its kind.
 *
 * @param effect for consequential tools: describes the effect in plain words before confirmation, and fails
 *     (as not found) when the target does not exist
 */
public record Tool(
        String name,
        String title,
        String description,
        Requirement requirement,
        ToolKind kind,
        boolean isDestructive,
        Schema input,
        Map<String, Object> output,
        Handler handler,
        Optional<Handler.Effect> effect) {

    /** A read-only tool. */
    public static Tool read(
            String name,
            String title,
            String description,
            Requirement requirement,
            Schema input,
            Map<String, Object> output,
            Handler handler) {
        return new Tool(
                name, title, description, requirement, ToolKind.READ, false, input, output, handler, Optional.empty());
    }

    /** A tool that adds a record and accepts an idempotency key. */
    public static Tool create(
            String name,
            String title,
            String description,
            Requirement requirement,
            Schema input,
            Map<String, Object> output,
            Handler handler) {
        return new Tool(
                name,
                title,
                description,
                requirement,
                ToolKind.CREATE,
                false,
                input,
                output,
                handler,
                Optional.empty());
    }

    /** A tool that changes a record in place. */
    public static Tool update(
            String name,
            String title,
            String description,
            Requirement requirement,
            Schema input,
            Map<String, Object> output,
            Handler handler) {
        return new Tool(
                name,
                title,
                description,
                requirement,
                ToolKind.UPDATE,
                false,
                input,
                output,
                handler,
                Optional.empty());
    }

    /** A consequential tool that needs a confirmation token; {@code isDestructive} when it removes data. */
    public static Tool consequential(
            String name,
            String title,
            String description,
            Requirement requirement,
            boolean isDestructive,
            Schema input,
            Map<String, Object> output,
            Handler.Effect effect,
            Handler handler) {
        return new Tool(
                name,
                title,
                description,
                requirement,
                ToolKind.CONSEQUENTIAL,
                isDestructive,
                input,
                output,
                handler,
                Optional.of(effect));
    }

    /** What a tool does when called. */
    @FunctionalInterface
    public interface Handler {
        /** Acts and answers with the structured result. */
        Map<String, Object> call(ToolCall call);

        /** Describes what a consequential call would do, without doing it. */
        @FunctionalInterface
        interface Effect {
            String describe(ToolCall call);
        }
    }
}
