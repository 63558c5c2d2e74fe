package com.timether.invite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.timether.Application;
import com.timether.access.Role;
import com.timether.account.User;
import com.timether.audit.AuditLog.Actor;
import com.timether.platform.config.Settings;
import com.timether.platform.crypto.Secrets;
import com.timether.platform.error.DomainException;
import com.timether.platform.error.DomainException.Kind;
import com.timether.testing.TestData;
import com.timether.testing.TestDatabase;
import com.timether.workspace.Plan;
import com.timether.workspace.Workspace;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class InviteServiceTest {
    private static final String APP_URL = "https://app.timether.test";
    private static final Application APP =
            new Application(Settings.from(Map.of("TIMETHER_APP_URL", APP_URL)), TestDatabase.get());
    private static final Pattern LINK = Pattern.compile(Pattern.quote(APP_URL) + "/invites/([A-Za-z0-9_-]+)");

    private static final Jdbi JDBI = TestDatabase.get().jdbi();

    private final InviteService invites = APP.invites();

    @ParameterizedTest
    @EnumSource(value = Role.class, names = "OWNER", mode = EnumSource.Mode.EXCLUDE)
    void create_newAddress_storesPendingInviteAndWritesEmailWithLink(Role role) {
        Team team = team();
        String email = freshEmail();

        Invite invite = invites.create(
                team.workspace().id(),
                email.toUpperCase(Locale.ROOT),
                role,
                team.owner().id(),
                team.actor());

        assertThat(invite.email()).isEqualTo(email);
        assertThat(invite.role()).isEqualTo(role);
        assertThat(invite.status()).isEqualTo("pending");
        assertThat(invite.workspaceId()).isEqualTo(team.workspace().id());
        assertThat(invite.expiresAt()).isCloseTo(Instant.now().plus(7, ChronoUnit.DAYS), within(1, ChronoUnit.MINUTES));
        assertThat(invites.listPending(team.workspace().id())).containsExactly(invite);
        List<Email> emails = outbox(email);
        assertThat(emails).singleElement().satisfies(sent -> {
            assertThat(sent.subject())
                    .isEqualTo("You are invited to " + team.workspace().name() + " on Timether");
            assertThat(sent.body()).contains(team.workspace().name(), "7 days");
        });
        String token = token(emails.getFirst());
        assertThat(tokenHash(invite.id())).isEqualTo(Secrets.hash(token)).isNotEqualTo(token);
        assertThat(auditActions(invite.id())).containsExactly("invite.create");
    }

    @Test
    void create_pendingInviteForSameAddressInOtherCase_isRefusedAndWritesNothing() {
        Team team = team();
        String email = freshEmail();
        invites.create(team.workspace().id(), email, Role.MEMBER, team.owner().id(), team.actor());

        assertThatThrownBy(() -> invites.create(
                        team.workspace().id(),
                        email.toUpperCase(Locale.ROOT),
                        Role.ADMIN,
                        team.owner().id(),
                        team.actor()))
                .isInstanceOfSatisfying(
                        DomainException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CONFLICT))
                .hasMessage(
                        email + " already has a pending or expired invite; resend it instead (resending renews it)");
        assertThat(invites.listPending(team.workspace().id()))
                .singleElement()
                .satisfies(invite -> assertThat(invite.role()).isEqualTo(Role.MEMBER));
        assertThat(outbox(email)).hasSize(1);
    }

    @Test
    void create_samePendingAddressInAnotherWorkspace_isAllowed() {
        Team first = team();
        Team second = team();
        String email = freshEmail();
        invites.create(first.workspace().id(), email, Role.MEMBER, first.owner().id(), first.actor());

        Invite other = invites.create(
                second.workspace().id(), email, Role.MEMBER, second.owner().id(), second.actor());

        assertThat(other.workspaceId()).isEqualTo(second.workspace().id());
        assertThat(outbox(email)).hasSize(2);
    }

    @Test
    void create_ownerRole_isRefusedAndWritesNothing() {
        Team team = team();
        String email = freshEmail();

        assertThatThrownBy(() -> invites.create(
                        team.workspace().id(), email, Role.OWNER, team.owner().id(), team.actor()))
                .isInstanceOfSatisfying(
                        DomainException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID))
                .hasMessageContaining("role must be admin, manager or member")
                .hasMessageContaining("promote");
        assertThat(invites.listPending(team.workspace().id())).isEmpty();
        assertThat(outbox(email)).isEmpty();
    }

    @Test
    void create_invalidEmail_isRefusedAndWritesNothing() {
        Team team = team();

        assertThatThrownBy(() -> invites.create(
                        team.workspace().id(),
                        "not an email",
                        Role.MEMBER,
                        team.owner().id(),
                        team.actor()))
                .isInstanceOfSatisfying(
                        DomainException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID))
                .hasMessageContaining("email must be an email address");
        assertThat(invites.listPending(team.workspace().id())).isEmpty();
    }

    @Test
    void create_addressOfExistingMember_isRefusedAndWritesNothing() {
        Team team = team();
        User member = TestData.member(APP, team.workspace(), Role.MEMBER);

        assertThatThrownBy(() -> invites.create(
                        team.workspace().id(),
                        member.email().toUpperCase(Locale.ROOT),
                        Role.ADMIN,
                        team.owner().id(),
                        team.actor()))
                .isInstanceOfSatisfying(
                        DomainException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CONFLICT))
                .hasMessage(member.email() + " is already a member of this workspace");
        assertThat(invites.listPending(team.workspace().id())).isEmpty();
        assertThat(outbox(member.email())).isEmpty();
    }

    @Test
    void resend_pendingInvite_replacesTokenAndCountsTheSend() {
        Team team = team();
        String email = freshEmail();
        Invite invite = invites.create(
                team.workspace().id(), email, Role.MANAGER, team.owner().id(), team.actor());
        String firstToken = token(outbox(email).getFirst());

        Invite resent = invites.resend(team.workspace().id(), invite.id(), team.actor());

        List<Email> emails = outbox(email);
        assertThat(emails).hasSize(2);
        String secondToken = token(emails.getLast());
        assertThat(secondToken).isNotEqualTo(firstToken);
        assertThat(tokenHash(invite.id())).isEqualTo(Secrets.hash(secondToken));
        assertThat(sentCount(invite.id())).isEqualTo(2);
        assertThat(resent.status()).isEqualTo("pending");
        assertThat(resent.expiresAt()).isAfterOrEqualTo(invite.expiresAt());
        assertThat(auditActions(invite.id())).containsExactly("invite.create", "invite.resend");
    }

    @Test
    void revoke_twice_secondIsRefusedAndNothingMoreIsRecorded() {
        Team team = team();
        String email = freshEmail();
        Invite invite = invites.create(
                team.workspace().id(), email, Role.MEMBER, team.owner().id(), team.actor());

        Invite revoked = invites.revoke(team.workspace().id(), invite.id(), team.actor());

        assertThat(revoked.status()).isEqualTo("revoked");
        assertThat(invites.listPending(team.workspace().id())).isEmpty();
        assertThatThrownBy(() -> invites.revoke(team.workspace().id(), invite.id(), team.actor()))
                .isInstanceOfSatisfying(
                        DomainException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CONFLICT))
                .hasMessage("Invite " + invite.id() + " is revoked, not pending");
        assertThatThrownBy(() -> invites.resend(team.workspace().id(), invite.id(), team.actor()))
                .isInstanceOf(DomainException.class)
                .hasMessageContaining("is revoked, not pending");
        assertThat(auditActions(invite.id())).containsExactly("invite.create", "invite.revoke");
        assertThat(outbox(email)).hasSize(1);
    }

    @Test
    void create_afterRevoke_invitesTheSameAddressAgain() {
        Team team = team();
        String email = freshEmail();
        Invite first = invites.create(
                team.workspace().id(), email, Role.MEMBER, team.owner().id(), team.actor());
        invites.revoke(team.workspace().id(), first.id(), team.actor());

        Invite second = invites.create(
                team.workspace().id(), email, Role.ADMIN, team.owner().id(), team.actor());

        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(invites.listPending(team.workspace().id())).containsExactly(second);
    }

    @Test
    void revoke_inviteOfAnotherWorkspace_isNotFoundAndStaysPending() {
        Team mine = team();
        Team theirs = team();
        Invite invite = invites.create(
                theirs.workspace().id(),
                freshEmail(),
                Role.MEMBER,
                theirs.owner().id(),
                theirs.actor());

        assertThatThrownBy(() -> invites.revoke(mine.workspace().id(), invite.id(), mine.actor()))
                .isInstanceOfSatisfying(
                        DomainException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND))
                .hasMessage("No invite with id " + invite.id() + " in this workspace");
        assertThat(invites.listPending(theirs.workspace().id())).containsExactly(invite);
    }

    private record Team(User owner, Workspace workspace) {
        Actor actor() {
            return Actor.web(owner.id());
        }
    }

    /** One row of {@code outbox_emails}. */
    private record Email(String subject, String body) {}

    private static Team team() {
        User owner = TestData.user(APP);
        return new Team(owner, TestData.workspace(APP, owner, Plan.TEAM));
    }

    private static String freshEmail() {
        return "invitee-" + TestData.unique() + "@test.example";
    }

    private static String token(Email email) {
        Matcher link = LINK.matcher(email.body());
        assertThat(link.find()).as("an invite link in: %s", email.body()).isTrue();
        return link.group(1);
    }

    private static List<Email> outbox(String address) {
        return JDBI.withHandle(h -> h.createQuery(
                        "SELECT subject, body FROM outbox_emails WHERE to_address = :to" + " ORDER BY created_at, id")
                .bind("to", address)
                .map((rs, ctx) -> new Email(rs.getString("subject"), rs.getString("body")))
                .list());
    }

    private static String tokenHash(UUID inviteId) {
        return JDBI.withHandle(h -> h.createQuery("SELECT token_hash FROM invites WHERE id = :id")
                .bind("id", inviteId)
                .mapTo(String.class)
                .one());
    }

    private static int sentCount(UUID inviteId) {
        return JDBI.withHandle(h -> h.createQuery("SELECT sent_count FROM invites WHERE id = :id")
                .bind("id", inviteId)
                .mapTo(Integer.class)
                .one());
    }

    private static List<String> auditActions(UUID inviteId) {
        return JDBI.withHandle(
                h -> h.createQuery("SELECT action FROM audit_events WHERE target_type = 'invite' AND target_id = :id"
                                + " ORDER BY id")
                        .bind("id", inviteId.toString())
                        .mapTo(String.class)
                        .list());
    }
}
