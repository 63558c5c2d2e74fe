package com.timether.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.timether.mcp.tool.Tool;
import com.timether.mcp.tool.ToolKind;
import com.timether.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/mcp-tools.md equal to the tool declarations. To refresh it after changing a tool, run
 * {@code ./mvnw verify -Dtest=ToolCatalogTest -Dtimether.updateDocs=true}.
 */
class ToolCatalogTest {
    private static final Path CATALOG = Path.of("docs/mcp-tools.md");

    @Test
    void catalog_toolDeclarations_matchTheDocument() throws IOException {
        String rendered = render(TestServer.app().tools());

        if (Boolean.getBoolean("timether.updateDocs")) {
            Files.writeString(CATALOG, rendered, StandardCharsets.UTF_8);
        }

        assertThat(Files.readString(CATALOG, StandardCharsets.UTF_8))
                .as("docs/mcp-tools.md is stale; refresh it with -Dtimether.updateDocs=true")
                .isEqualTo(rendered);
    }

    static String render(List<Tool> tools) {
        StringBuilder out = new StringBuilder("# MCP tools\n\n");
        out.append("Generated from the tool declarations by `ToolCatalogTest`; do not edit by hand.\n\n");
        out.append("Kinds: `read` reads only; `create` accepts `idempotency_key`; `update` changes in place;"
                + " `consequential` answers with a `confirmation_token` first (PRODUCT section 5).\n\n");
        out.append("| tool | kind | scope | least role | needs | what it does |\n|---|---|---|---|---|---|\n");
        for (Tool tool : tools) {
            String needs = tool.requirement()
                            .entitlement()
                            .map(e -> "plan: " + e.value())
                            .orElse("")
                    + tool.requirement()
                            .capability()
                            .map(c -> " capability: " + c.value())
                            .orElse("");
            out.append("| `")
                    .append(tool.name())
                    .append("` | ")
                    .append(kind(tool.kind()))
                    .append(" | ")
                    .append(tool.requirement().scope().value())
                    .append(" | ")
                    .append(tool.requirement().leastRole().value())
                    .append(" | ")
                    .append(needs.isBlank() ? "" : needs.strip())
                    .append(" | ")
                    .append(tool.description().replace("|", "\\|"))
                    .append(" |\n");
        }
        return out.toString();
    }

    private static String kind(ToolKind kind) {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
