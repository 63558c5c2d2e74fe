package com.timether.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.timether.mcp.tool.ResultJson;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolSchemaValidatorTest {
    private static final Map<String, Object> NEEDS_NAME = Map.of(
            "type", "object", "required", List.of("name"), "properties", Map.of("name", Map.of("type", "string")));

    @Test
    void validate_argumentsBreakingTheirSchema_areInvalidWhateverTheSwitch() {
        ToolSchemaValidator validator = new ToolSchemaValidator(false);
        validator.output(new HashMap<>(NEEDS_NAME));

        assertThat(validator.validate(NEEDS_NAME, Map.of("other", 1)).valid()).isFalse();
        assertThat(validator.validate(NEEDS_NAME, Map.of("name", "Acme")).valid())
                .isTrue();
    }

    @Test
    void validate_resultBreakingItsOutputSchema_isSkippedWhenChecksAreOff() {
        ToolSchemaValidator validator = new ToolSchemaValidator(false);
        Map<String, Object> output = validator.output(new HashMap<>(NEEDS_NAME));

        assertThat(validator.validate(output, Map.of("other", 1)).valid()).isTrue();
    }

    @Test
    void validate_resultBreakingItsOutputSchema_isInvalidWhenChecksAreOn() {
        ToolSchemaValidator validator = new ToolSchemaValidator(true);
        Map<String, Object> output = validator.output(new HashMap<>(NEEDS_NAME));

        assertThat(validator.validate(output, Map.of("other", 1)).valid()).isFalse();
        assertThat(validator.validate(output, Map.of("name", "Acme")).valid()).isTrue();
    }

    @Test
    void validate_resultAsRawJson_isReadAndCheckedLikeAMap() {
        ToolSchemaValidator validator = new ToolSchemaValidator(true);
        Map<String, Object> output = validator.output(new HashMap<>(NEEDS_NAME));

        assertThat(validator.validate(output, ResultJson.of(Map.of("other", 1))).valid())
                .isFalse();
        assertThat(validator
                        .validate(output, ResultJson.of(Map.of("name", "Acme")))
                        .valid())
                .isTrue();
    }
}
