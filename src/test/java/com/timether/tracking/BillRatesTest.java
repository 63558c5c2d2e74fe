package com.timether.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import com.timether.Application;
import com.timether.access.Role;
import com.timether.account.User;
import com.timether.testing.TestData;
import com.timether.testing.TestServer;
import com.timether.testing.TrackingRows;
import com.timether.workspace.Plan;
import com.timether.workspace.Workspace;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

class BillRatesTest {
    private final Application app = TestServer.app();
    private final Jdbi jdbi = app.database().jdbi();
    private final User owner = TestData.user(app);
    private final Workspace workspace = TestData.workspace(app, owner, Plan.TEAM);
    private final UUID rated = memberWithRate(7000L);
    private final UUID unrated = memberWithRate(null);

    @Test
    void resolve_projectMemberRate_winsOverEveryOtherRate() {
        TrackingRows.setDefaultRate(app, workspace, 5000);
        UUID project = project(9000L);
        assign(project, rated, 11000L);

        assertThat(resolve(rated, project)).isEqualTo(11000);
    }

    @Test
    void resolve_noProjectMemberRate_takesTheProjectRate() {
        TrackingRows.setDefaultRate(app, workspace, 5000);
        UUID project = project(9000L);
        assign(project, rated, null);

        assertThat(resolve(rated, project)).isEqualTo(9000);
        assertThat(resolve(unrated, project)).isEqualTo(9000);
    }

    @Test
    void resolve_projectWithoutRateOrNoProject_takesTheMemberRate() {
        TrackingRows.setDefaultRate(app, workspace, 5000);
        UUID project = project(null);
        assign(project, rated, null);

        assertThat(resolve(rated, project)).isEqualTo(7000);
        assertThat(resolve(rated, null)).isEqualTo(7000);
    }

    @Test
    void resolve_nothingElseSet_takesTheWorkspaceDefault() {
        TrackingRows.setDefaultRate(app, workspace, 5000);
        UUID project = project(null);

        assertThat(resolve(unrated, project)).isEqualTo(5000);
        assertThat(resolve(unrated, null)).isEqualTo(5000);
    }

    @Test
    void resolve_projectMemberRateOfAnotherMember_isNotUsed() {
        UUID project = project(null);
        assign(project, rated, 11000L);

        assertThat(resolve(unrated, project)).isZero();
    }

    @Test
    void resolve_projectOfAnotherWorkspace_fallsBackToTheMemberRate() {
        User stranger = TestData.user(app);
        Workspace elsewhere = TestData.workspace(app, stranger, Plan.TEAM);
        UUID foreign = jdbi.withHandle(h -> insertProject(h, elsewhere.id(), 9000L));

        assertThat(resolve(rated, foreign)).isEqualTo(7000);
    }

    private long resolve(UUID member, UUID project) {
        return jdbi.withHandle(h -> BillRates.resolve(h, workspace.id(), member, project));
    }

    private UUID memberWithRate(Long rate) {
        UUID member = TrackingRows.memberId(app, workspace, TestData.member(app, workspace, Role.MEMBER));
        jdbi.useHandle(h -> h.createUpdate("UPDATE memberships SET bill_rate_minor = :rate WHERE id = :id")
                .bind("rate", rate)
                .bind("id", member)
                .execute());
        return member;
    }

    private UUID project(Long rate) {
        return jdbi.withHandle(h -> insertProject(h, workspace.id(), rate));
    }

    private static UUID insertProject(Handle h, UUID workspaceId, Long rate) {
        return h.createQuery("INSERT INTO projects (workspace_id, name, rate_minor) VALUES (:ws, :name, :rate)"
                        + " RETURNING id")
                .bind("ws", workspaceId)
                .bind("name", "Project " + TestData.unique())
                .bind("rate", rate)
                .mapTo(UUID.class)
                .one();
    }

    private void assign(UUID project, UUID member, Long rate) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO project_members (workspace_id, project_id, membership_id,"
                        + " rate_minor) VALUES (:ws, :project, :member, :rate)")
                .bind("ws", workspace.id())
                .bind("project", project)
                .bind("member", member)
                .bind("rate", rate)
                .execute());
    }
}
