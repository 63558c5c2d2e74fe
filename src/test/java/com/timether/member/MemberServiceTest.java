package com.timether.member;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.timether.Application;
import com.timether.access.Role;
import com.timether.account.User;
import com.timether.audit.AuditLog.Actor;
import com.timether.platform.config.Settings;
import com.timether.platform.error.DomainException;
import com.timether.platform.error.DomainException.Kind;
import com.timether.testing.TestData;
import com.timether.testing.TestDatabase;
import com.timether.workspace.Plan;
import com.timether.workspace.Workspace;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MemberServiceTest {
    private static final Application APP = new Application(Settings.from(Map.of()), TestDatabase.get());

    private static final Jdbi JDBI = TestDatabase.get().jdbi();

    private final MemberService members = APP.members();

    @ParameterizedTest
    @EnumSource(Role.class)
    void add_existingAccount_joinsActiveWithRoleAndIsAudited(Role role) {
        Workspace workspace = freshWorkspace();
        User user = TestData.user(APP);

        Member added = members.add(workspace.id(), user.email().toUpperCase(Locale.ROOT), role, Actor.operator());

        assertThat(added.workspaceId()).isEqualTo(workspace.id());
        assertThat(added.userId()).isEqualTo(user.id());
        assertThat(added.email()).isEqualTo(user.email());
        assertThat(added.displayName()).isEqualTo(user.displayName());
        assertThat(added.role()).isEqualTo(role);
        assertThat(added.status()).isEqualTo(MemberStatus.ACTIVE);
        assertThat(added.billRateMinor()).isEmpty();
        assertThat(members.findByUser(workspace.id(), user.id())).contains(added);
        assertThat(members.list(workspace.id())).contains(added).hasSize(2);
        assertThat(auditActions(workspace.id(), added.id())).containsExactly("member.add");
    }

    @Test
    void add_alreadyMember_isRefusedAndKeepsOneMembership() {
        Workspace workspace = freshWorkspace();
        User user = TestData.member(APP, workspace, Role.MEMBER);

        assertThatThrownBy(() -> members.add(workspace.id(), user.email(), Role.ADMIN, Actor.operator()))
                .isInstanceOfSatisfying(
                        DomainException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CONFLICT))
                .hasMessage(user.email() + " is already a member of this workspace");
        assertThat(members.list(workspace.id()))
                .filteredOn(m -> m.userId().equals(user.id()))
                .singleElement()
                .satisfies(m -> assertThat(m.role()).isEqualTo(Role.MEMBER));
    }

    @Test
    void add_unknownAccount_isNotFoundAskingToCreateItFirst() {
        Workspace workspace = freshWorkspace();
        String email = "nobody-" + TestData.unique() + "@test.example";

        assertThatThrownBy(() -> members.add(workspace.id(), email, Role.MEMBER, Actor.operator()))
                .isInstanceOfSatisfying(
                        DomainException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND))
                .hasMessageContaining(email)
                .hasMessageContaining("create the account first");
        assertThat(members.list(workspace.id())).hasSize(1);
    }

    @Test
    void add_unknownWorkspace_isNotFound() {
        User user = TestData.user(APP);
        UUID unknown = UUID.randomUUID();

        assertThatThrownBy(() -> members.add(unknown, user.email(), Role.MEMBER, Actor.operator()))
                .isInstanceOfSatisfying(
                        DomainException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND))
                .hasMessage("No workspace with id " + unknown);
    }

    @ParameterizedTest
    @EnumSource(value = Role.class, names = "OWNER", mode = EnumSource.Mode.EXCLUDE)
    void setRole_lastActiveOwnerDemoted_isRefusedAndRoleKept(Role lower) {
        Workspace workspace = freshWorkspace();
        Member owner = onlyOwner(workspace);

        assertThatThrownBy(() -> members.setRole(workspace.id(), owner.id(), lower, Actor.operator()))
                .isInstanceOfSatisfying(
                        DomainException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CONFLICT))
                .hasMessageContaining(owner.email() + " is the workspace's last active owner")
                .hasMessageContaining("make someone else owner first");
        assertThat(members.findByUser(workspace.id(), owner.userId())
                        .orElseThrow()
                        .role())
                .isEqualTo(Role.OWNER);
        assertThat(auditActions(workspace.id(), owner.id())).isEmpty();
    }

    @Test
    void setStatus_lastActiveOwnerDeactivated_isRefusedAndStaysActive() {
        Workspace workspace = freshWorkspace();
        Member owner = onlyOwner(workspace);

        assertThatThrownBy(() -> members.setStatus(workspace.id(), owner.id(), MemberStatus.INACTIVE, Actor.operator()))
                .isInstanceOfSatisfying(
                        DomainException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CONFLICT))
                .hasMessageContaining("last active owner");
        assertThat(members.findByUser(workspace.id(), owner.userId())
                        .orElseThrow()
                        .status())
                .isEqualTo(MemberStatus.ACTIVE);
    }

    @Test
    void setRole_twoActiveOwners_oneMayBeDemotedThenTheOtherMayNot() {
        Workspace workspace = freshWorkspace();
        Member first = onlyOwner(workspace);
        User secondUser = TestData.member(APP, workspace, Role.OWNER);
        Member second = members.findByUser(workspace.id(), secondUser.id()).orElseThrow();

        Member demoted = members.setRole(workspace.id(), first.id(), Role.ADMIN, Actor.operator());

        assertThat(demoted.role()).isEqualTo(Role.ADMIN);
        assertThat(auditActions(workspace.id(), first.id())).containsExactly("member.role");
        assertThatThrownBy(() -> members.setRole(workspace.id(), second.id(), Role.MEMBER, Actor.operator()))
                .isInstanceOf(DomainException.class)
                .hasMessageContaining("last active owner");
    }

    @Test
    void setStatus_twoActiveOwners_oneMayBeDeactivatedAndReactivated() {
        Workspace workspace = freshWorkspace();
        Member first = onlyOwner(workspace);
        TestData.member(APP, workspace, Role.OWNER);

        Member inactive = members.setStatus(workspace.id(), first.id(), MemberStatus.INACTIVE, Actor.operator());
        Member active = members.setStatus(workspace.id(), first.id(), MemberStatus.ACTIVE, Actor.operator());

        assertThat(inactive.status()).isEqualTo(MemberStatus.INACTIVE);
        assertThat(active.status()).isEqualTo(MemberStatus.ACTIVE);
        assertThat(auditActions(workspace.id(), first.id())).containsExactly("member.status", "member.status");
    }

    @Test
    void setRole_otherOwnerInactive_doesNotCountAsActiveOwner() {
        Workspace workspace = freshWorkspace();
        Member first = onlyOwner(workspace);
        User secondUser = TestData.member(APP, workspace, Role.OWNER);
        Member second = members.findByUser(workspace.id(), secondUser.id()).orElseThrow();
        members.setStatus(workspace.id(), second.id(), MemberStatus.INACTIVE, Actor.operator());

        assertThatThrownBy(() -> members.setRole(workspace.id(), first.id(), Role.ADMIN, Actor.operator()))
                .isInstanceOf(DomainException.class)
                .hasMessageContaining("last active owner");
        assertThat(members.findByUser(workspace.id(), first.userId())
                        .orElseThrow()
                        .role())
                .isEqualTo(Role.OWNER);
    }

    @Test
    void setRole_memberPromotedToOwner_isAllowedAndAudited() {
        Workspace workspace = freshWorkspace();
        User user = TestData.member(APP, workspace, Role.MEMBER);
        Member member = members.findByUser(workspace.id(), user.id()).orElseThrow();

        Member promoted = members.setRole(workspace.id(), member.id(), Role.OWNER, Actor.operator());

        assertThat(promoted.role()).isEqualTo(Role.OWNER);
        assertThat(auditActions(workspace.id(), member.id())).containsExactly("member.add", "member.role");
    }

    @Test
    void setRole_memberOfAnotherWorkspace_isNotFound() {
        Workspace mine = freshWorkspace();
        Workspace theirs = freshWorkspace();
        Member stranger = onlyOwner(theirs);

        assertThatThrownBy(() -> members.setRole(mine.id(), stranger.id(), Role.MEMBER, Actor.operator()))
                .isInstanceOfSatisfying(
                        DomainException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND))
                .hasMessage("No member with id " + stranger.id() + " in this workspace");
        assertThat(members.findByUser(theirs.id(), stranger.userId())
                        .orElseThrow()
                        .role())
                .isEqualTo(Role.OWNER);
    }

    @Test
    void setRates_nonNegative_areStoredAndCanBeCleared() {
        Workspace workspace = freshWorkspace();
        Member owner = onlyOwner(workspace);

        Member rated = members.setRates(
                workspace.id(), owner.id(), OptionalLong.of(12_500), OptionalLong.of(0), Actor.operator());
        Member cleared = members.setRates(
                workspace.id(), owner.id(), OptionalLong.empty(), OptionalLong.empty(), Actor.operator());

        assertThat(rated.billRateMinor()).hasValue(12_500);
        assertThat(rated.costRateMinor()).hasValue(0);
        assertThat(cleared.billRateMinor()).isEmpty();
        assertThat(cleared.costRateMinor()).isEmpty();
        assertThat(auditActions(workspace.id(), owner.id())).containsExactly("member.rates", "member.rates");
    }

    @Test
    void setRates_negative_isRefusedNamingTheRateAndKeepsOldRates() {
        Workspace workspace = freshWorkspace();
        Member owner = onlyOwner(workspace);
        members.setRates(workspace.id(), owner.id(), OptionalLong.of(9_000), OptionalLong.of(4_000), Actor.operator());

        assertThatThrownBy(() -> members.setRates(
                        workspace.id(), owner.id(), OptionalLong.of(-1), OptionalLong.of(4_000), Actor.operator()))
                .isInstanceOfSatisfying(
                        DomainException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID))
                .hasMessage("bill_rate must be 0 or more (minor units, e.g. cents), got -1");
        assertThatThrownBy(() -> members.setRates(
                        workspace.id(), owner.id(), OptionalLong.of(9_000), OptionalLong.of(-250), Actor.operator()))
                .isInstanceOf(DomainException.class)
                .hasMessageContaining("cost_rate must be 0 or more")
                .hasMessageContaining("-250");
        Member unchanged = members.findByUser(workspace.id(), owner.userId()).orElseThrow();
        assertThat(unchanged.billRateMinor()).hasValue(9_000);
        assertThat(unchanged.costRateMinor()).hasValue(4_000);
        assertThat(auditActions(workspace.id(), owner.id())).containsExactly("member.rates");
    }

    @Test
    void list_severalMembers_sortedByDisplayName() {
        Workspace workspace = freshWorkspace();
        TestData.member(APP, workspace, Role.MANAGER);
        TestData.member(APP, workspace, Role.MEMBER);

        List<Member> listed = members.list(workspace.id());

        assertThat(listed).hasSize(3);
        assertThat(listed)
                .extracting(m -> m.displayName().toLowerCase(Locale.ROOT))
                .isSorted();
    }

    private static Workspace freshWorkspace() {
        return TestData.workspace(APP, TestData.user(APP), Plan.TEAM);
    }

    private Member onlyOwner(Workspace workspace) {
        return members.list(workspace.id()).stream()
                .filter(m -> m.role() == Role.OWNER)
                .reduce((a, b) -> {
                    throw new AssertionError("expected one owner in " + workspace.name());
                })
                .orElseThrow();
    }

    /** The audit actions recorded about one membership, oldest first. */
    private static List<String> auditActions(UUID workspaceId, UUID memberId) {
        return JDBI.withHandle(h -> h.createQuery("SELECT action FROM audit_events WHERE workspace_id = :ws"
                        + " AND target_type = 'membership' AND target_id = :id ORDER BY id")
                .bind("ws", workspaceId)
                .bind("id", memberId.toString())
                .mapTo(String.class)
                .list());
    }
}
