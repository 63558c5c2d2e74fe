package com.timether.mcp.tools.member;

import static org.assertj.core.api.Assertions.assertThat;

import com.timether.Application;
import com.timether.access.Role;
import com.timether.account.User;
import com.timether.platform.crypto.Secrets;
import com.timether.testing.Confirmed;
import com.timether.testing.McpCall;
import com.timether.testing.ReportingRows;
import com.timether.testing.ReportingRows.OutboxEmail;
import com.timether.testing.TestData;
import com.timether.testing.TestServer;
import com.timether.testing.TrackingRows;
import com.timether.workspace.Plan;
import com.timether.workspace.Workspace;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The invite tools through the real /mcp endpoint: invites, their outbox emails and their stored rows. */
class InviteToolsTest {
    private static final Pattern LINK = Pattern.compile("/invites/([A-Za-z0-9_-]{43})\\n");

    private final Application app = TestServer.app();
    private final User owner = TestData.user(app);
    private final Workspace workspace = TestData.workspace(app, owner, Plan.TEAM);
    private final User admin = TestData.member(app, workspace, Role.ADMIN);
    private final McpCall boss = McpCall.connect(admin.email(), workspace.id(), "timether:admin");
    private final String email = "invitee-" + TestData.unique() + "@test.example";

    @Test
    void createInvite_newEmail_pendingInviteAndEmailWithLinkWhoseTokenIsStoredHashedOnly() {
        JsonNode invite = boss.ok("create_invite", Map.of("email", email, "role", "manager"));
        String id = invite.get("id").asString();

        List<OutboxEmail> mail = ReportingRows.outbox(email);
        String token = token(mail.getFirst());
        assertThat(invite.get("email").asString()).isEqualTo(email);
        assertThat(invite.get("role").asString()).isEqualTo("manager");
        assertThat(invite.get("status").asString()).isEqualTo("pending");
        assertThat(Instant.parse(invite.get("expires_at").asString()))
                .isBetween(
                        Instant.now().plus(Duration.ofDays(7)).minusSeconds(60),
                        Instant.now().plus(Duration.ofDays(7)));
        assertThat(mail).hasSize(1);
        assertThat(mail.getFirst().subject()).isEqualTo("You are invited to " + workspace.name() + " on Timether");
        assertThat(mail.getFirst().body())
                .isEqualTo("Join " + workspace.name() + " on Timether: "
                        + app.settings().appUrl() + "/invites/" + token + "\nThe link works for 7 days.");
        assertThat(row(id)).doesNotContain(token).contains(Secrets.hash(token));
        assertThat(TrackingRows.audit(app, workspace, "invite.create"))
                .singleElement()
                .satisfies(row -> MemberToolsTest.assertMcpAudit(row, admin.id(), "create_invite", id));
    }

    @Test
    void createInvite_sameIdempotencyKey_oneInviteAndOneEmail() {
        Map<String, Object> args = Map.of("email", email, "role", "member", "idempotency_key", "invite-1");

        JsonNode first = boss.ok("create_invite", args);
        JsonNode repeat = boss.ok("create_invite", args);
        String otherArgs =
                boss.refusal("create_invite", Map.of("email", email, "role", "admin", "idempotency_key", "invite-1"));

        assertThat(repeat).isEqualTo(first);
        assertThat(otherArgs)
                .isEqualTo("idempotency_key 'invite-1' was already used with other arguments; use a new key for a new"
                        + " request");
        assertThat(ReportingRows.outbox(email)).hasSize(1);
        assertThat(pendingEmails()).containsExactly(email);
        assertThat(TrackingRows.audit(app, workspace, "invite.create")).hasSize(1);
    }

    @Test
    void createInvite_pendingInviteForSameEmailInOtherCase_refusedPointingToResend() {
        boss.ok("create_invite", Map.of("email", email, "role", "member"));

        String refused = boss.refusal("create_invite", Map.of("email", email.toUpperCase(), "role", "admin"));

        assertThat(refused)
                .isEqualTo(email + " already has a pending or expired invite; resend it instead (resending renews it)");
        assertThat(ReportingRows.outbox(email)).hasSize(1);
        assertThat(boss.ok("list_invites", Map.of()).get("invites"))
                .singleElement()
                .satisfies(i -> assertThat(i.get("role").asString()).isEqualTo("member"));
    }

    @Test
    void createInvite_invalidEmail_refusedNamingTheValueAndNothingStored() {
        String refused = boss.refusal("create_invite", Map.of("email", "not-an-email", "role", "member"));
        String spaced = boss.refusal("create_invite", Map.of("email", "a b@test.example", "role", "member"));

        assertThat(refused)
                .isEqualTo("email must be an email address such as name@example.com (at most 254 characters), got"
                        + " 'not-an-email'");
        assertThat(spaced).endsWith("got 'a b@test.example'");
        assertThat(pendingEmails()).isEmpty();
        assertThat(ReportingRows.outbox("not-an-email")).isEmpty();
    }

    @Test
    void createInvite_existingMemberActiveOrNot_refused() {
        User member = TestData.member(app, workspace, Role.MEMBER);
        User gone = TestData.member(app, workspace, Role.MEMBER);
        Confirmed.call(boss, "deactivate_member", Map.of("member_id", TrackingRows.memberId(app, workspace, gone)));

        String active =
                boss.refusal("create_invite", Map.of("email", member.email().toUpperCase(), "role", "admin"));
        String inactive = boss.refusal("create_invite", Map.of("email", gone.email(), "role", "member"));

        assertThat(active).isEqualTo(member.email() + " is already a member of this workspace");
        assertThat(inactive).isEqualTo(gone.email() + " is already a member of this workspace");
        assertThat(pendingEmails()).isEmpty();
        assertThat(ReportingRows.outbox(member.email())).isEmpty();
    }

    @Test
    void createInvite_ownerRole_refusedBySchema() {
        String refused = boss.refusal("create_invite", Map.of("email", email, "role", "owner"));

        assertThat(refused)
                .endsWith("[/role: does not have a value in the enumeration [\"member\", \"manager\", \"admin\"]];"
                        + " sent /role = 'owner'");
        assertThat(pendingEmails()).isEmpty();
    }

    @Test
    void listInvites_pendingOnlyNewestFirst() {
        String second = "second-" + email;
        String revoked = "revoked-" + email;
        boss.ok("create_invite", Map.of("email", email, "role", "member"));
        boss.ok("create_invite", Map.of("email", second, "role", "admin"));
        String gone = boss.ok("create_invite", Map.of("email", revoked, "role", "member"))
                .get("id")
                .asString();
        Confirmed.call(boss, "revoke_invite", Map.of("invite_id", gone));

        JsonNode listed = boss.ok("list_invites", Map.of());

        assertThat(pendingEmails()).containsExactly(second, email);
        assertThat(listed.get("invites").get(0).get("role").asString()).isEqualTo("admin");
        assertThat(listed.get("invites").get(0).get("status").asString()).isEqualTo("pending");
    }

    @Test
    void listInvites_pagesOfTwo_walkEveryInviteOnceAndExpiredOnesSaySo() {
        List<String> emails = List.of("a-" + email, "b-" + email, "c-" + email);
        emails.forEach(e -> boss.ok("create_invite", Map.of("email", e, "role", "member")));
        app.database()
                .jdbi()
                .useHandle(h -> h.execute(
                        "UPDATE invites SET expires_at = now() - interval '1 second' WHERE lower(email) = ?",
                        emails.getFirst()));

        JsonNode first = boss.ok("list_invites", Map.of("limit", 2));
        JsonNode second = boss.ok(
                "list_invites",
                Map.of("limit", 2, "cursor", first.get("next_cursor").asString()));
        String tampered = boss.refusal("list_invites", Map.of("cursor", "bm90LWEtdGltZQB4"));

        List<String> seen = new ArrayList<>();
        first.get("invites").forEach(i -> seen.add(i.get("email").asString()));
        second.get("invites")
                .forEach(i -> seen.add(
                        i.get("status").asString() + " " + i.get("email").asString()));
        assertThat(first.get("has_more").asBoolean()).isTrue();
        assertThat(second.get("has_more").asBoolean()).isFalse();
        assertThat(seen).containsExactly(emails.get(2), emails.get(1), "expired " + emails.getFirst());
        assertThat(tampered)
                .isEqualTo("cursor is not valid; pass the next_cursor of the previous page unchanged, or omit it");
    }

    @Test
    void resendInvite_pending_newEmailWithFreshLinkAndOldLinkHashReplaced() {
        String id = boss.ok("create_invite", Map.of("email", email, "role", "member"))
                .get("id")
                .asString();

        JsonNode resent = boss.ok("resend_invite", Map.of("invite_id", id));

        List<OutboxEmail> mail = ReportingRows.outbox(email);
        assertThat(resent.get("status").asString()).isEqualTo("pending");
        assertThat(mail).hasSize(2);
        String first = token(mail.get(0));
        String second = token(mail.get(1));
        assertThat(second).isNotEqualTo(first);
        assertThat(row(id))
                .contains(Secrets.hash(second))
                .doesNotContain(Secrets.hash(first))
                .contains("\"sent_count\":2");
        assertThat(TrackingRows.audit(app, workspace, "invite.resend"))
                .singleElement()
                .satisfies(row -> MemberToolsTest.assertMcpAudit(row, admin.id(), "resend_invite", id));
    }

    @Test
    void revokeInvite_confirmed_revokedCannotBeResentAndEmailCanBeInvitedAgain() {
        String id = boss.ok("create_invite", Map.of("email", email, "role", "member"))
                .get("id")
                .asString();
        Map<String, Object> args = Map.of("invite_id", id);

        JsonNode pending = Confirmed.ask(boss, "revoke_invite", args);
        List<String> whilePending = pendingEmails();
        JsonNode revoked = boss.ok("revoke_invite", Confirmed.withToken(args, pending));
        String resend = boss.refusal("resend_invite", args);
        String again = boss.refusal("revoke_invite", args);
        JsonNode reinvited = boss.ok("create_invite", Map.of("email", email, "role", "admin"));

        assertThat(pending.get("effect").asString())
                .isEqualTo("Revoke the invite for " + email + "; its link will stop working.");
        assertThat(whilePending).containsExactly(email);
        assertThat(revoked.get("status").asString()).isEqualTo("revoked");
        assertThat(row(id)).contains("\"status\":\"revoked\"");
        assertThat(resend).isEqualTo("Invite " + id + " is revoked, not pending");
        assertThat(again).isEqualTo("No pending invite with id " + id + " in this workspace");
        assertThat(reinvited.get("id").asString()).isNotEqualTo(id);
        assertThat(ReportingRows.outbox(email)).hasSize(2);
        assertThat(TrackingRows.audit(app, workspace, "invite.revoke"))
                .singleElement()
                .satisfies(row -> MemberToolsTest.assertMcpAudit(row, admin.id(), "revoke_invite", id));
    }

    @Test
    void inviteTools_inviteOfAnotherWorkspace_notFound() {
        User stranger = TestData.user(app);
        Workspace other = TestData.workspace(app, stranger, Plan.TEAM);
        String id = McpCall.connect(stranger.email(), other.id(), "timether:admin")
                .ok("create_invite", Map.of("email", email, "role", "member"))
                .get("id")
                .asString();

        String resend = boss.refusal("resend_invite", Map.of("invite_id", id));
        String revoke = boss.refusal("revoke_invite", Map.of("invite_id", id));

        assertThat(resend).isEqualTo("No invite with id " + id + " in this workspace");
        assertThat(revoke).isEqualTo("No pending invite with id " + id + " in this workspace");
        assertThat(ReportingRows.outbox(email)).hasSize(1);
    }

    @Test
    void createInvite_markupAndQuotesInEmailAndWorkspaceName_storedAndReturnedVerbatim() {
        String odd = "o'hara+<b>x</b>\";drop.table-" + TestData.unique() + "@test.example";
        String name = "Acme <i>&amp;</i> 'Co'; DROP TABLE invites; --";
        app.database()
                .jdbi()
                .useHandle(h -> h.createUpdate("UPDATE workspaces SET name = :name WHERE id = :id")
                        .bind("name", name)
                        .bind("id", workspace.id())
                        .execute());

        JsonNode invite = boss.ok("create_invite", Map.of("email", odd, "role", "member"));

        assertThat(invite.get("email").asString()).isEqualTo(odd);
        assertThat(pendingEmails()).containsExactly(odd);
        assertThat(ReportingRows.outbox(odd)).singleElement().satisfies(mail -> {
            assertThat(mail.subject()).isEqualTo("You are invited to " + name + " on Timether");
            assertThat(mail.body()).startsWith("Join " + name + " on Timether: ");
        });
    }

    @Test
    void inviteTools_managerWithWriteScope_refusedNamingTheRoleAndNothingSent() {
        User manager = TestData.member(app, workspace, Role.MANAGER);
        McpCall theirs = McpCall.connect(manager.email(), workspace.id(), "timether:write");
        String id = boss.ok("create_invite", Map.of("email", email, "role", "member"))
                .get("id")
                .asString();

        String create = theirs.refusal("create_invite", Map.of("email", "x-" + email, "role", "member"));
        String list = theirs.refusal("list_invites", Map.of());
        String resend = theirs.refusal("resend_invite", Map.of("invite_id", id));
        String revoke = theirs.refusal("revoke_invite", Map.of("invite_id", id));

        assertThat(create)
                .isEqualTo("create_invite is not available to this connection: This needs the admin role or above;"
                        + " you are manager.");
        assertThat(List.of(list, resend, revoke))
                .allSatisfy(text -> assertThat(text).endsWith("This needs the admin role or above; you are manager."));
        assertThat(pendingEmails()).containsExactly(email);
        assertThat(ReportingRows.outbox(email)).hasSize(1);
        assertThat(ReportingRows.outbox("x-" + email)).isEmpty();
    }

    private List<String> pendingEmails() {
        List<String> emails = new ArrayList<>();
        boss.ok("list_invites", Map.of())
                .get("invites")
                .forEach(i -> emails.add(i.get("email").asString()));
        return emails;
    }

    /** The invites row as JSON text, every column included. */
    private String row(String id) {
        return app.database()
                .jdbi()
                .withHandle(h -> h.createQuery("SELECT row_to_json(i)::text FROM invites i WHERE id = :id")
                        .bind("id", UUID.fromString(id))
                        .mapTo(String.class)
                        .one());
    }

    private static String token(OutboxEmail mail) {
        Matcher link = LINK.matcher(mail.body());
        assertThat(link.find()).as("an accept link in %s", mail.body()).isTrue();
        return link.group(1);
    }
}
