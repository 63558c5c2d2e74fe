package com.timether.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SentValuesTest {
    private static final String PREFIX = "Validation failed: JSON schema validation errors: ";

    @Test
    void describe_namedPaths_appendsWhatWasSentAtEach() {
        String message = PREFIX + "[/limit: must have a minimum value of 1, /role: does not have a value in the"
                + " enumeration [\"member\", \"admin\"]]";

        assertThat(SentValues.describe(message, Map.of("limit", 0, "role", "superuser")))
                .isEqualTo(message + "; sent /limit = 0, /role = 'superuser'");
    }

    @Test
    void describe_nestedPathAndLongText_followsThePathAndShortensTheValue() {
        String message = PREFIX + "[/filter/name: must be at most 5 characters long]";

        assertThat(SentValues.describe(message, Map.of("filter", Map.of("name", "n".repeat(80)))))
                .isEqualTo(message + "; sent /filter/name = '" + "n".repeat(57) + "...'");
    }

    @Test
    void describe_secretOrMissingOrRootPath_addsNothing() {
        String token = PREFIX + "[/confirmation_token: must be at most 200 characters long]";
        String required = PREFIX + "[: required property 'reason' not found]";

        assertThat(SentValues.describe(token, Map.of("confirmation_token", "t".repeat(201))))
                .isEqualTo(token);
        assertThat(SentValues.describe(required, Map.of("week", "2026-03-02"))).isEqualTo(required);
        assertThat(SentValues.describe(PREFIX + "[/ids/0: x]", Map.of("ids", List.of("a"))))
                .isEqualTo(PREFIX + "[/ids/0: x]");
    }
}
