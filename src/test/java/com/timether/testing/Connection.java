package com.timether.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.timether.Application;
import com.timether.account.User;
import com.timether.workspace.Workspace;

/** One MCP connection of a user to a workspace through a freshly registered OAuth client, for audit checks. */
public record Connection(McpCall mcp, User user, Workspace workspace, String clientId) {

    /** Connects {@code user} to {@code workspace} with {@code scope} through the real OAuth flow. */
    public static Connection open(User user, Workspace workspace, String scope) {
        OAuthFlow.Tokens tokens = new OAuthFlow().connect(user.email(), TestData.PASSWORD, workspace.id(), scope);
        return new Connection(new McpCall(tokens.accessToken()), user, workspace, tokens.clientId());
    }

    /** Asserts that exactly one {@code action} event exists and that it names this user, client, tool and target. */
    public void assertAuditedOnce(Application app, String action, String tool, String target) {
        assertThat(TrackingRows.audit(app, workspace, action))
                .as("audit events %s", action)
                .singleElement()
                .satisfies(event -> {
                    assertThat(event.channel()).isEqualTo("mcp");
                    assertThat(event.actor()).isEqualTo(user.id());
                    assertThat(event.clientId()).isEqualTo(clientId);
                    assertThat(event.tool()).isEqualTo(tool);
                    assertThat(event.target()).isEqualTo(target);
                });
    }
}
