package com.timether.tracking;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.timether.Application;
import com.timether.access.Role;
import com.timether.account.User;
import com.timether.platform.error.DomainException;
import com.timether.testing.TestData;
import com.timether.testing.TestServer;
import com.timether.testing.TrackingRows;
import com.timether.workspace.Plan;
import com.timether.workspace.Workspace;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EntryLocksTest {
    private static final WorkspaceClock BERLIN = new WorkspaceClock(ZoneId.of("Europe/Berlin"), DayOfWeek.MONDAY);
    private static final Optional<LocalDate> NO_LOCK = Optional.empty();

    private final Application app = TestServer.app();
    private final Jdbi jdbi = app.database().jdbi();
    private final User owner = TestData.user(app);
    private final Workspace workspace = TestData.workspace(app, owner, Plan.BUSINESS);
    private final UUID member = TrackingRows.memberId(app, workspace, TestData.member(app, workspace, Role.MEMBER));

    @Test
    void requireOpen_onTheLockDateInTheWorkspaceZone_refusedNamingTheLockAndWhoLiftsIt() {
        Optional<LocalDate> lock = Optional.of(LocalDate.parse("2026-03-10"));

        assertThatThrownBy(() -> requireOpen(BERLIN, lock, Instant.parse("2026-03-10T22:59:00Z")))
                .isInstanceOf(DomainException.class)
                .hasMessage("Time on 2026-03-10 is locked: the workspace's lock date is 2026-03-10."
                        + " An admin can move the lock date.");
        assertThatThrownBy(() -> requireOpen(BERLIN, lock, Instant.parse("2026-01-01T09:00:00Z")))
                .hasMessageStartingWith("Time on 2026-01-01 is locked");
        assertThatCode(() -> requireOpen(BERLIN, lock, Instant.parse("2026-03-10T23:00:00Z")))
                .doesNotThrowAnyException();
    }

    @Test
    void requireOpen_approvedWeek_refusedForThatMemberOnly() {
        timesheet(member, "2026-03-02", "approved");
        UUID colleague = TrackingRows.memberId(app, workspace, TestData.member(app, workspace, Role.MEMBER));

        assertThatThrownBy(() -> requireOpen(BERLIN, NO_LOCK, Instant.parse("2026-03-08T22:00:00Z")))
                .hasMessage("Time on 2026-03-08 is locked: the timesheet of the week of 2026-03-02 is approved."
                        + " A manager can reopen it with reopen_timesheet.");
        assertThatCode(() -> requireOpen(BERLIN, NO_LOCK, Instant.parse("2026-03-08T23:00:00Z")))
                .doesNotThrowAnyException();
        assertThatCode(() -> jdbi.useHandle(h -> EntryLocks.requireOpen(
                        h, workspace.id(), BERLIN, NO_LOCK, colleague, Instant.parse("2026-03-04T09:00:00Z"))))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"open", "submitted"})
    void requireOpen_weekNotApproved_allowed(String status) {
        timesheet(member, "2026-03-02", status);

        assertThatCode(() -> requireOpen(BERLIN, NO_LOCK, Instant.parse("2026-03-04T09:00:00Z")))
                .doesNotThrowAnyException();
    }

    @Test
    void requireOpen_weekStartingOnSunday_locksTheWorkspacesWeek() {
        WorkspaceClock sundays = new WorkspaceClock(ZoneId.of("UTC"), DayOfWeek.SUNDAY);
        timesheet(member, "2026-03-08", "approved");

        assertThatThrownBy(() -> requireOpen(sundays, NO_LOCK, Instant.parse("2026-03-08T09:00:00Z")))
                .hasMessageContaining("the timesheet of the week of 2026-03-08 is approved");
        assertThatCode(() -> requireOpen(sundays, NO_LOCK, Instant.parse("2026-03-07T09:00:00Z")))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"issued", "paid"})
    void requireNotInvoiced_issuedOrPaidInvoice_refusedNamingTheInvoice(String status) {
        UUID entry = entry();
        TrackingRows.putOnInvoice(app, workspace, entry, status);

        assertThatThrownBy(() -> jdbi.useHandle(h -> EntryLocks.requireNotInvoiced(h, workspace.id(), entry)))
                .isInstanceOf(DomainException.class)
                .hasMessageStartingWith("This entry is locked: it is billed on invoice INV-")
                .hasMessageEndingWith("Void the invoice first to change it.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"draft", "void"})
    void requireNotInvoiced_draftOrVoidInvoice_allowed(String status) {
        UUID entry = entry();
        TrackingRows.putOnInvoice(app, workspace, entry, status);

        assertThatCode(() -> jdbi.useHandle(h -> EntryLocks.requireNotInvoiced(h, workspace.id(), entry)))
                .doesNotThrowAnyException();
    }

    private void requireOpen(WorkspaceClock clock, Optional<LocalDate> lock, Instant start) {
        jdbi.useHandle(h -> EntryLocks.requireOpen(h, workspace.id(), clock, lock, member, start));
    }

    private void timesheet(UUID who, String week, String status) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO timesheets (workspace_id, membership_id, week_start, status)"
                        + " VALUES (:ws, :member, :week, :status)")
                .bind("ws", workspace.id())
                .bind("member", who)
                .bind("week", LocalDate.parse(week))
                .bind("status", status)
                .execute());
    }

    private UUID entry() {
        return jdbi.withHandle(h -> h.createQuery("INSERT INTO time_entries (workspace_id, membership_id,"
                        + " started_at, ended_at, currency) VALUES (:ws, :member, :start, :end, 'EUR') RETURNING id")
                .bind("ws", workspace.id())
                .bind("member", member)
                .bind("start", Instant.parse("2026-03-04T09:00:00Z"))
                .bind("end", Instant.parse("2026-03-04T10:00:00Z"))
                .mapTo(UUID.class)
                .one());
    }
}
