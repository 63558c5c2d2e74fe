package com.timether.invite;

import static org.assertj.core.api.Assertions.assertThat;

import com.timether.Application;
import com.timether.access.Role;
import com.timether.account.User;
import com.timether.audit.AuditLog.Actor;
import com.timether.platform.crypto.Secrets;
import com.timether.testing.TestClient;
import com.timether.testing.TestData;
import com.timether.testing.TestServer;
import com.timether.workspace.Plan;
import com.timether.workspace.Workspace;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class InviteAcceptanceHttpTest {
    private static final Pattern LINK = Pattern.compile("/invites/([A-Za-z0-9_-]+)");
    private static final String NEW_PASSWORD = "a-long-new-password";

    private final Application app = TestServer.app();
    private final User owner = TestData.user(app);
    private final Workspace workspace = TestData.workspace(app, owner, Plan.TEAM);

    @Test
    void join_newPerson_createsAccountMembershipAndSignsIn() {
        String email = "new-" + TestData.unique() + "@test.example";
        String token = invite(email, Role.MANAGER);
        TestClient visitor = new TestClient();

        HttpResponse<String> page = visitor.get("/invites/" + token);
        HttpResponse<String> joined = visitor.postForm(
                "/invites/" + token + "/join",
                Map.of("csrf", TestClient.csrf(page.body()), "name", "Nia <b>New</b>", "password", NEW_PASSWORD));

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Create account and join", workspace.name(), "manager");
        assertThat(joined.statusCode()).isEqualTo(303);
        assertThat(joined.headers().firstValue("Location")).hasValue("/account");
        User created = app.users().findByEmail(email).orElseThrow();
        assertThat(created.displayName()).isEqualTo("Nia <b>New</b>");
        assertThat(roleOf(created)).hasValue("manager");
        assertThat(statusOf(token)).isEqualTo("accepted");
        assertThat(acceptEvents(created)).isEqualTo(1);
        assertThat(visitor.get("/account").body()).contains(workspace.name()).doesNotContain("<b>New</b>");
    }

    @Test
    void accept_signedInAsTheInvitedAccount_addsMembershipOnce() {
        User invited = TestData.user(app);
        String token = invite(invited.email().toUpperCase(), Role.MEMBER);
        TestClient visitor = new TestClient().signedIn(invited.email(), TestData.PASSWORD);

        HttpResponse<String> page = visitor.get("/invites/" + token);
        String csrf = TestClient.csrf(page.body());
        HttpResponse<String> accepted = visitor.postForm("/invites/" + token + "/accept", Map.of("csrf", csrf));
        HttpResponse<String> again = visitor.postForm("/invites/" + token + "/accept", Map.of("csrf", csrf));

        assertThat(page.body()).contains("Accept invite");
        assertThat(accepted.statusCode()).isEqualTo(303);
        assertThat(roleOf(invited)).hasValue("member");
        assertThat(again.statusCode()).isEqualTo(410);
        assertThat(again.body()).contains("This invite was already accepted.");
        assertThat(acceptEvents(invited)).isEqualTo(1);
    }

    @Test
    void accept_signedInAsSomeoneElse_isForbiddenAndChangesNothing() {
        User invited = TestData.user(app);
        User other = TestData.user(app);
        String token = invite(invited.email(), Role.MEMBER);
        TestClient visitor = new TestClient().signedIn(other.email(), TestData.PASSWORD);

        HttpResponse<String> page = visitor.get("/invites/" + token);
        HttpResponse<String> refused =
                visitor.postForm("/invites/" + token + "/accept", Map.of("csrf", TestClient.csrf(page.body())));

        assertThat(page.body())
                .contains("you are signed in as " + other.email())
                .doesNotContain("Accept invite");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("This invite is for " + invited.email() + ", not for " + other.email());
        assertThat(roleOf(other)).isEmpty();
        assertThat(roleOf(invited)).isEmpty();
        assertThat(statusOf(token)).isEqualTo("pending");
    }

    @Test
    void join_emailThatHasAnAccount_isRefusedWithPointerToSignIn() {
        User invited = TestData.user(app);
        String token = invite(invited.email(), Role.MEMBER);
        TestClient visitor = new TestClient();

        HttpResponse<String> page = visitor.get("/invites/" + token);
        HttpResponse<String> refused = visitor.postForm(
                "/invites/" + token + "/join",
                Map.of(
                        "csrf",
                        TestClient.csrf(visitor.get("/signin").body()),
                        "name",
                        "Impostor",
                        "password",
                        NEW_PASSWORD));

        assertThat(page.body()).contains("Sign in as " + invited.email()).doesNotContain("Create account");
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("An account for " + invited.email() + " already exists");
        assertThat(app.users().findByEmail(invited.email()).orElseThrow().displayName())
                .isEqualTo(invited.displayName());
        assertThat(roleOf(invited)).isEmpty();
    }

    @Test
    void join_withoutCsrfOrWithShortPassword_isRefusedAndCreatesNoAccount() {
        String email = "new-" + TestData.unique() + "@test.example";
        String token = invite(email, Role.MEMBER);
        TestClient visitor = new TestClient();
        String csrf = TestClient.csrf(visitor.get("/invites/" + token).body());

        HttpResponse<String> noCsrf =
                visitor.postForm("/invites/" + token + "/join", Map.of("name", "Nia", "password", NEW_PASSWORD));
        HttpResponse<String> shortPassword = visitor.postForm(
                "/invites/" + token + "/join", Map.of("csrf", csrf, "name", "Nia", "password", "short"));

        assertThat(noCsrf.statusCode()).isEqualTo(403);
        assertThat(shortPassword.statusCode()).isEqualTo(400);
        assertThat(shortPassword.body()).contains("password must be 10 to 200 characters");
        assertThat(app.users().findByEmail(email)).isEmpty();
        assertThat(statusOf(token)).isEqualTo("pending");
    }

    @Test
    void show_expiredRevokedOrUnknownLink_explainsAndOffersNoForm() {
        String lateEmail = "late-" + TestData.unique() + "@test.example";
        String expiredToken = invite(lateEmail, Role.MEMBER);
        app.database()
                .jdbi()
                .useHandle(h -> h.execute(
                        "UPDATE invites SET expires_at = now() - interval '1 minute' WHERE token_hash = ?",
                        Secrets.hash(expiredToken)));
        String revokedEmail = "gone-" + TestData.unique() + "@test.example";
        String revokedToken = invite(revokedEmail, Role.MEMBER);
        app.invites().revoke(workspace.id(), inviteId(revokedEmail), Actor.operator());
        TestClient visitor = new TestClient();

        HttpResponse<String> expired = visitor.get("/invites/" + expiredToken);
        HttpResponse<String> revoked = visitor.get("/invites/" + revokedToken);
        HttpResponse<String> unknown = visitor.get("/invites/" + "x".repeat(43));
        HttpResponse<String> joinExpired = visitor.postForm(
                "/invites/" + expiredToken + "/join",
                Map.of(
                        "csrf",
                        TestClient.csrf(visitor.get("/signin").body()),
                        "name",
                        "Late",
                        "password",
                        NEW_PASSWORD));

        assertThat(expired.statusCode()).isEqualTo(410);
        assertThat(expired.body())
                .contains("This invite expired.")
                .doesNotContain("<form method=\"post\" action=\"/inv");
        assertThat(revoked.statusCode()).isEqualTo(410);
        assertThat(revoked.body()).contains("This invite was withdrawn");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(joinExpired.statusCode()).isEqualTo(410);
        assertThat(app.users().findByEmail(lateEmail)).isEmpty();
        assertThat(app.invites().listPending(workspace.id()))
                .extracting(Invite::status)
                .containsExactly("expired");
    }

    @Test
    void show_linkReplacedByResend_isNotFoundWhileTheNewOneWorks() {
        String email = "again-" + TestData.unique() + "@test.example";
        String first = invite(email, Role.MEMBER);
        app.invites().resend(workspace.id(), inviteId(email), Actor.operator());
        List<String> links = links(email);

        assertThat(new TestClient().get("/invites/" + first).statusCode()).isEqualTo(404);
        assertThat(new TestClient().get("/invites/" + links.getLast()).statusCode())
                .isEqualTo(200);
    }

    private String invite(String email, Role role) {
        app.invites().create(workspace.id(), email, role, owner.id(), Actor.operator());
        return links(email).getLast();
    }

    private List<String> links(String email) {
        return app
                .database()
                .jdbi()
                .withHandle(h -> h.createQuery("SELECT body FROM outbox_emails WHERE lower(to_address) = lower(:to)"
                                + " ORDER BY created_at, id")
                        .bind("to", email)
                        .mapTo(String.class)
                        .list())
                .stream()
                .map(body -> {
                    Matcher link = LINK.matcher(body);
                    assertThat(link.find()).as("an invite link in the email").isTrue();
                    return link.group(1);
                })
                .toList();
    }

    private UUID inviteId(String email) {
        return app.invites().listPending(workspace.id()).stream()
                .filter(i -> i.email().equalsIgnoreCase(email))
                .findFirst()
                .orElseThrow()
                .id();
    }

    private Optional<String> roleOf(User user) {
        return app.members()
                .findByUser(workspace.id(), user.id())
                .map(m -> m.role().value());
    }

    private String statusOf(String token) {
        return app.database()
                .jdbi()
                .withHandle(h -> h.createQuery("SELECT status FROM invites WHERE token_hash = :hash")
                        .bind("hash", Secrets.hash(token))
                        .mapTo(String.class)
                        .one());
    }

    private int acceptEvents(User user) {
        return app.database()
                .jdbi()
                .withHandle(h -> h.createQuery("SELECT count(*) FROM audit_events WHERE workspace_id = :ws"
                                + " AND action = 'invite.accept' AND actor_id = :user")
                        .bind("ws", workspace.id())
                        .bind("user", user.id())
                        .mapTo(Integer.class)
                        .one());
    }
}
