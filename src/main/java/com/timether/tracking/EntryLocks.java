package com.timether.tracking;

import com.timether.platform.error.DomainException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Why time may not be recorded or changed: on or before the workspace's lock date, in an approved timesheet, or
 * on an invoice that was issued.
 */
public final class EntryLocks {
    private EntryLocks() {}

    /** Refuses time of {@code member} starting at {@code start} that falls in a locked period. */
    public static void requireOpen(
            Handle h,
            UUID workspaceId,
            WorkspaceClock clock,
            Optional<LocalDate> lockDate,
            UUID member,
            Instant start) {
        LocalDate day = clock.dayOf(start);
        // LIMITATION: the lock date is the one read with the workspace at the request's start, so a write racing
        // a change of the lock date may still be judged by the old date (no tool changes it yet).
        if (lockDate.isPresent() && !day.isAfter(lockDate.get())) {
            throw DomainException.conflict("Time on " + day + " is locked: the workspace's lock date is "
                    + lockDate.get() + ". An admin can move the lock date.");
        }
        LocalDate week = clock.weekOf(day);
        // FOR SHARE: while an approval of this week is not committed, the write waits for it and then sees the
        // approved status, so no time slips into a week in the moment it is approved.
        boolean isApproved = h.createQuery("SELECT status FROM timesheets WHERE workspace_id = :ws"
                        + " AND membership_id = :member AND week_start = :week FOR SHARE")
                .bind("ws", workspaceId)
                .bind("member", member)
                .bind("week", week)
                .mapTo(String.class)
                .findOne()
                .filter("approved"::equals)
                .isPresent();
        if (isApproved) {
            throw DomainException.conflict("Time on " + day + " is locked: the timesheet of the week of " + week
                    + " is approved. A manager can reopen it with reopen_timesheet.");
        }
    }

    /** Refuses changing an entry that is on an issued or paid invoice. */
    public static void requireNotInvoiced(Handle h, UUID workspaceId, UUID entryId) {
        // LIMITATION: the invoice row is not locked, so a change racing the invoice's issuing may slip through;
        // issuing should lock its entries once invoices are built.
        Optional<String> invoice = h.createQuery("SELECT coalesce(i.number, 'draft') FROM time_entries e"
                        + " JOIN invoices i ON i.id = e.invoice_id WHERE e.workspace_id = :ws AND e.id = :id"
                        + " AND i.status IN ('issued', 'paid')")
                .bind("ws", workspaceId)
                .bind("id", entryId)
                .mapTo(String.class)
                .findOne();
        if (invoice.isPresent()) {
            throw DomainException.conflict("This entry is locked: it is billed on invoice " + invoice.get()
                    + ", which was issued. Void the invoice first to change it.");
        }
    }
}
