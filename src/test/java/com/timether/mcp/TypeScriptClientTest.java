package com.timether.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.timether.Application;
import com.timether.testing.NodeScript;
import com.timether.testing.TestBrowser;
import com.timether.testing.TestData;
import com.timether.testing.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import tools.jackson.databind.JsonNode;

/**
 * The official TypeScript MCP client end to end ({@code src/test/node/ts-client-e2e.mjs}: the SDK's {@code Client},
 * {@code StreamableHTTPClientTransport} and an in-memory {@code OAuthClientProvider}): it discovers the server from
 * the 401, registers, and the demo owner signs in and consents in Chromium for Northwind Studio; the client then
 * lists tools, reads the context, creates a client twice with one idempotency key, deletes it through the
 * confirmation flow, and is refused once the connection is revoked on Integrations.
 */
class TypeScriptClientTest {
    private static final String ADA = "ada@example.com";
    private static final String NORTHWIND = "Northwind Studio";
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    /**
     * PRODUCT section 5's fixed names that a read and write connection of an owner sees.
     *
     * <p>LIMITATION: the expense, invoice, audit and export tools (list_expenses, create_expense, list_invoices,
     * create_invoice_draft, issue_invoice, void_invoice, list_audit_events, start_data_export) are not built yet,
     * so they cannot be asserted here; add them when they exist.
     */
    private static final List<String> FIXED_TOOLS = List.of(
            "get_workspace_context",
            "list_members",
            "list_clients",
            "create_client",
            "update_client",
            "delete_client",
            "list_projects",
            "create_project",
            "list_tags",
            "create_tag",
            "get_running_timer",
            "start_timer",
            "stop_timer",
            "list_time_entries",
            "create_time_entry",
            "update_time_entry",
            "delete_time_entry",
            "get_timesheet",
            "submit_timesheet",
            "approve_timesheet",
            "summary_report");

    private final Application app = TestServer.app();
    private final String base = TestServer.baseUrl();
    private final String tag = TestData.unique();
    private final String clientName = "TypeScript SDK client " + tag;
    private final String customer = "Idempotent Customer " + tag;

    @Test
    void officialClient_adaConsentsForNorthwind_runsToolsAndIsRefusedAfterRevoke() {
        try (NodeScript script = NodeScript.start(
                "ts-client-e2e.mjs",
                List.of(
                        "--server-url",
                        base + "/mcp",
                        "--client-name",
                        clientName,
                        "--customer",
                        customer,
                        "--idempotency-key",
                        "ts-e2e-" + tag),
                TIMEOUT)) {
            String authorizeUrl = script.next("event", "authorize").get("url").asString();
            JsonNode discovered = script.next("step", "discover");
            assertDiscoveredFromThe401(authorizeUrl, discovered, script);

            WebDriver browser = TestBrowser.fresh();
            approveInBrowser(browser, authorizeUrl);
            assertSignedIn(script);

            assertToolsAndContext(script);
            assertIdempotentCreate(script);
            assertConfirmedDelete(script);

            revokeOnIntegrations(browser);
            script.send("call-again");
            assertRefusedAfterRevoke(script);
            assertThat(script.awaitExit()).as(script.describe()).isZero();
        }
    }

    private void assertDiscoveredFromThe401(String authorizeUrl, JsonNode discovered, NodeScript script) {
        String resource = URLEncoder.encode(base + "/mcp", StandardCharsets.UTF_8);
        assertThat(authorizeUrl)
                .as(script.describe())
                .startsWith(base + "/oauth/authorize?")
                .contains("resource=" + resource)
                .contains("code_challenge_method=S256")
                .contains("redirect_uri=http%3A%2F%2F127.0.0.1%3A");
        assertThat(discovered.get("error").get("name").asString()).isEqualTo("UnauthorizedError");
        List<String> exchanges = exchanges(discovered);
        assertThat(exchanges)
                .as(script.describe())
                .startsWith("POST /mcp 401")
                .contains(
                        "GET /.well-known/oauth-protected-resource/mcp 200",
                        "GET /.well-known/oauth-authorization-server 200",
                        "POST /oauth/register 201");
        assertThat(discovered.get("exchanges").get(0).get("www_authenticate").asString())
                .contains("resource_metadata=\"" + base + "/.well-known/oauth-protected-resource/mcp\"");
    }

    private void approveInBrowser(WebDriver browser, String authorizeUrl) {
        browser.get(authorizeUrl);
        browser.findElement(By.xpath("//label[text()='Email']/following-sibling::input[1]"))
                .sendKeys(ADA);
        browser.findElement(By.xpath("//label[text()='Password']/following-sibling::input[1]"))
                .sendKeys("timether-demo");
        TestBrowser.clickAndWaitForNextPage(browser, browser.findElement(By.xpath("//button[text()='Sign in']")));

        assertThat(browser.findElement(By.id("client-name")).getText()).isEqualTo(clientName);
        assertThat(workspaceChoices(browser))
                .containsEntry(NORTHWIND, "selectable")
                .containsEntry(
                        "Ada Solo",
                        "The solo_pro plan of Ada Solo does not include API access (team or business plan needed).")
                .containsEntry("Old Mill", "Old Mill is suspended.");
        assertThat(workspaceChoices(browser).entrySet().stream()
                        .filter(choice -> choice.getValue().equals("selectable"))
                        .map(Map.Entry::getKey))
                .containsExactly(NORTHWIND);

        radio(browser, NORTHWIND).click();
        TestBrowser.clickAndWaitForNextPage(browser, browser.findElement(By.xpath("//button[text()='Approve']")));
        assertThat(browser.getCurrentUrl()).startsWith("http://127.0.0.1:").contains("/callback?");
    }

    private void assertSignedIn(NodeScript script) {
        JsonNode callback = script.next("step", "callback");
        assertThat(callback.get("has_code").asBoolean()).as(script.describe()).isTrue();
        assertThat(callback.get("state_matches").asBoolean())
                .as(script.describe())
                .isTrue();
        assertThat(callback.get("iss").asString()).isEqualTo(base);

        JsonNode token = script.next("step", "token");
        assertThat(token.get("scope").asString()).isEqualTo("timether:read timether:write");
        assertThat(token.get("token_type").asString()).isEqualToIgnoringCase("bearer");
        assertThat(token.get("has_refresh_token").asBoolean()).isTrue();
        assertThat(exchanges(token)).as(script.describe()).endsWith("POST /oauth/token 200");

        JsonNode connected = script.next("step", "connect");
        assertThat(connected.get("protocol_version").asString()).isEqualTo("2025-11-25");
        assertThat(exchanges(connected)).as(script.describe()).startsWith("POST /mcp 200");
    }

    private void assertToolsAndContext(NodeScript script) {
        JsonNode listed = script.next("step", "list_tools");
        List<String> names = strings(listed.get("names"));
        assertThat(listed.get("next_cursor").isNull())
                .as("one page holds every tool")
                .isTrue();
        assertThat(names).as(script.describe()).containsAll(FIXED_TOOLS).doesNotHaveDuplicates();
        // The connection holds read and write only, so admin tools are filtered out of the list.
        assertThat(names).doesNotContain("update_member_rates", "create_invite");

        JsonNode context = script.next("step", "get_workspace_context");
        assertThat(context.get("is_error").asBoolean()).as(script.describe()).isFalse();
        JsonNode structured = context.get("structured");
        assertThat(structured.get("workspace").get("name").asString()).isEqualTo(NORTHWIND);
        assertThat(structured.get("user").get("email").asString()).isEqualTo(ADA);
        assertThat(structured.get("user").get("role").asString()).isEqualTo("owner");
        assertThat(structured.get("client_name").asString()).isEqualTo(clientName);
    }

    private void assertIdempotentCreate(NodeScript script) {
        JsonNode first = script.next("step", "create_client");
        JsonNode again = script.next("step", "create_client_again");
        script.next("event", "waiting");

        assertThat(first.get("is_error").asBoolean()).as(script.describe()).isFalse();
        assertThat(again.get("is_error").asBoolean()).as(script.describe()).isFalse();
        String id = first.get("structured").get("id").asString();
        assertThat(first.get("structured").get("name").asString()).isEqualTo(customer);
        assertThat(again.get("structured").get("id").asString()).isEqualTo(id);
        assertThat(clientsNamed(customer)).containsExactly(UUID.fromString(id));
        script.send("continue");
    }

    private void assertConfirmedDelete(NodeScript script) {
        JsonNode listed = script.next("step", "list_clients");
        JsonNode asked = script.next("step", "delete_client");
        JsonNode stillThere = script.next("step", "get_client_before_confirming");
        script.next("event", "waiting");

        assertThat(listed.get("matching").size()).as(script.describe()).isEqualTo(1);
        String id = listed.get("matching").get(0).get("id").asString();
        assertThat(asked.get("is_error").asBoolean()).as(script.describe()).isFalse();
        JsonNode pending = asked.get("structured");
        assertThat(pending.get("confirmation_required").asBoolean()).isTrue();
        assertThat(pending.get("confirmation_token").asString()).isEqualTo("present");
        assertThat(pending.get("effect").asString()).isEqualTo("Delete client '" + customer + "' for good.");
        assertThat(stillThere.get("is_error").asBoolean()).as(script.describe()).isFalse();
        assertThat(clientsNamed(customer)).containsExactly(UUID.fromString(id));
        script.send("continue");

        JsonNode deleted = script.next("step", "delete_client_confirmed");
        JsonNode gone = script.next("step", "get_client_after_delete");
        script.next("event", "waiting");

        assertThat(deleted.get("is_error").asBoolean()).as(script.describe()).isFalse();
        assertThat(deleted.get("structured").get("deleted").asBoolean()).isTrue();
        assertThat(deleted.get("structured").get("id").asString()).isEqualTo(id);
        assertThat(gone.get("is_error").asBoolean()).isTrue();
        assertThat(gone.get("text").asString()).contains("No client with id " + id);
        assertThat(clientsNamed(customer)).isEmpty();
    }

    private void revokeOnIntegrations(WebDriver browser) {
        browser.get(base + "/account/integrations");
        WebElement row = browser.findElement(rowOf(clientName));
        assertThat(row.findElements(By.tagName("td")).get(1).getText()).isEqualTo(NORTHWIND);

        TestBrowser.clickAndWaitForNextPage(browser, row.findElement(By.xpath(".//button[text()='Revoke']")));
        assertThat(browser.findElements(rowOf(clientName))).isEmpty();
    }

    private void assertRefusedAfterRevoke(NodeScript script) {
        // The SDK answers the 401 by trying its refresh token, which is revoked too, and then asks for a new sign-in.
        script.next("event", "authorize");
        JsonNode refused = script.next("step", "after_revoke");

        assertThat(refused.has("answered")).as(script.describe()).isFalse();
        assertThat(refused.get("error").get("name").asString()).isEqualTo("UnauthorizedError");
        assertThat(refused.get("asked_to_authorize_again").asBoolean()).isTrue();
        List<String> exchanges = exchanges(refused);
        assertThat(exchanges).as(script.describe()).startsWith("POST /mcp 401").contains("POST /oauth/token 400");
        JsonNode challenge = refused.get("exchanges").get(0);
        assertThat(challenge.get("www_authenticate").asString())
                .contains("error=\"invalid_token\"")
                .contains("The connection was revoked; connect again.");
        assertThat(refused.get("exchanges"))
                .filteredOn(exchange -> exchange.get("path").asString().equals("/oauth/token"))
                .extracting(exchange -> exchange.get("error").asString())
                .containsOnly("invalid_grant");
    }

    /** Each workspace choice on the consent page by label: "selectable", or the reason it is disabled. */
    private static Map<String, String> workspaceChoices(WebDriver browser) {
        Map<String, String> choices = new LinkedHashMap<>();
        for (WebElement choice : browser.findElements(By.cssSelector("fieldset .choice"))) {
            WebElement radio = choice.findElement(By.cssSelector("input[type=radio][name=workspace]"));
            String label = choice.findElement(By.tagName("label")).getText();
            String state = radio.isEnabled()
                    ? "selectable"
                    : choice.findElement(By.cssSelector(".reason")).getText();
            choices.put(label, state);
        }
        return choices;
    }

    private static WebElement radio(WebDriver browser, String workspace) {
        String id = browser.findElement(By.xpath("//label[text()='" + workspace + "']"))
                .getDomAttribute("for");
        return browser.findElement(By.id(id));
    }

    private static By rowOf(String name) {
        return By.xpath("//table[@id='connections']//tr[td[1][text()='" + name + "']]");
    }

    /** The script's HTTP exchanges as "METHOD path status". */
    private static List<String> exchanges(JsonNode step) {
        List<String> lines = new ArrayList<>();
        for (JsonNode exchange : step.get("exchanges")) {
            lines.add(exchange.get("method").asString() + " "
                    + exchange.get("path").asString() + " "
                    + exchange.get("status").asInt());
        }
        return lines;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asString()));
        return values;
    }

    /** Ids of Northwind Studio's clients with exactly this name. */
    private List<UUID> clientsNamed(String name) {
        return app.database()
                .jdbi()
                .withHandle(h -> h.createQuery("SELECT c.id FROM clients c JOIN workspaces w ON w.id = c.workspace_id"
                                + " WHERE w.name = :workspace AND c.name = :name")
                        .bind("workspace", NORTHWIND)
                        .bind("name", name)
                        .mapTo(UUID.class)
                        .list());
    }
}
