package com.timether.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.timether.Application;
import com.timether.access.Role;
import com.timether.audit.AuditLog.Actor;
import com.timether.testing.TestClient;
import com.timether.testing.TestData;
import com.timether.testing.TestDatabase;
import com.timether.testing.TestServer;
import com.timether.workspace.BillingState;
import com.timether.workspace.Plan;
import com.timether.workspace.Workspace;
import com.timether.workspace.WorkspaceService.NewWorkspace;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class AccountHttpTest {
    private static final String SCRIPT = "<script>alert(1)</script>";
    private static final String DROP_TABLE = "'; DROP TABLE users; --";

    private final Application app = TestServer.app();

    @Test
    void account_signedOut_redirectsToSignInWithWayBack() {
        HttpResponse<String> response = new TestClient().get("/account?tab=1");

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.headers().firstValue("Location")).hasValue("/signin?return_to=%2Faccount%3Ftab%3D1");
    }

    @Test
    void account_signedIn_listsOwnWorkspacesWithPlanAndRoleOnly() {
        User user = TestData.user(app);
        Workspace owned = TestData.workspace(app, user, Plan.TEAM);
        User otherOwner = TestData.user(app);
        Workspace joined = TestData.workspace(app, otherOwner, Plan.BUSINESS);
        app.members().add(joined.id(), user.email(), Role.MANAGER, Actor.operator());
        Workspace foreign = TestData.workspace(app, otherOwner, Plan.FREE);

        String page = new TestClient()
                .signedIn(user.email(), TestData.PASSWORD)
                .get("/account")
                .body();

        assertThat(rows(page))
                .containsExactlyInAnyOrder(
                        row(owned.name(), "team", "owner", "active"),
                        row(joined.name(), "business", "manager", "active"));
        assertThat(page).doesNotContain(foreign.name());
        assertThat(page).contains(user.email());
    }

    @Test
    void account_demoOwner_listsDemoWorkspacesWithPlanAndRole() {
        String page = new TestClient()
                .signedIn("ada@example.com", "timether-demo")
                .get("/account")
                .body();

        assertThat(rows(page))
                .contains(
                        row("Northwind Studio", "business", "owner", "active"),
                        row("Ada Solo", "solo_pro", "owner", "active"),
                        row("Old Mill", "business", "admin", "suspended"))
                .noneMatch(row -> row.startsWith("<td>Harbor Labs</td>"));
    }

    @Test
    void account_namesWithHtmlAndSqlMetaCharacters_shownEscapedAndTablesIntact() {
        User user = app.users().create("meta-" + TestData.unique() + "@test.example", SCRIPT, TestData.PASSWORD, "UTC");
        Workspace dropping = createWorkspace(DROP_TABLE + " " + TestData.unique(), user);
        Workspace scripted = createWorkspace(SCRIPT + " " + TestData.unique(), user);

        String page = new TestClient()
                .signedIn(user.email(), TestData.PASSWORD)
                .get("/account")
                .body();

        assertThat(page).doesNotContain(SCRIPT);
        assertThat(page).contains("Hello, &lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(page)
                .contains("&lt;script&gt;alert(1)&lt;/script&gt; "
                        + scripted.name().substring(SCRIPT.length() + 1));
        assertThat(page).contains("; DROP TABLE users; -- " + dropping.name().substring(DROP_TABLE.length() + 1));
        assertThat(app.users().find(user.id()))
                .hasValueSatisfying(u -> assertThat(u.displayName()).isEqualTo(SCRIPT));
        assertThat(app.workspaces().findByName(dropping.name())).hasSize(1);
        int adaRows = TestDatabase.get()
                .jdbi()
                .withHandle(h -> h.createQuery("SELECT count(*) FROM users WHERE email = 'ada@example.com'")
                        .mapTo(Integer.class)
                        .one());
        assertThat(adaRows).isEqualTo(1);
    }

    private Workspace createWorkspace(String name, User owner) {
        return app.workspaces()
                .create(
                        new NewWorkspace(name, Plan.TEAM, BillingState.ACTIVE, "EUR", "UTC"),
                        owner.id(),
                        Actor.operator());
    }

    /** The table rows of the account page, each as its cells with whitespace between tags removed. */
    private static List<String> rows(String page) {
        return Pattern.compile("<tr>(.*?)</tr>", Pattern.DOTALL)
                .matcher(page)
                .results()
                .map(match -> match.group(1).replaceAll(">\\s+<", "><").strip())
                .filter(row -> row.startsWith("<td>"))
                .toList();
    }

    private static String row(String workspace, String plan, String role, String status) {
        return "<td>" + workspace + "</td><td>" + plan + "</td><td>" + role + "</td><td>" + status + "</td>";
    }
}
