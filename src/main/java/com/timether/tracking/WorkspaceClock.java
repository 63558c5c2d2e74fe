package com.timether.tracking;

import com.timether.platform.error.DomainException;
import com.timether.workspace.Workspace;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;

/** Days and weeks as the workspace sees them: cut in its time zone, weeks beginning on its week start. */
public record WorkspaceClock(ZoneId zone, DayOfWeek weekStart) {

    /** The clock of a workspace. */
    public static WorkspaceClock of(Workspace workspace) {
        return new WorkspaceClock(ZoneId.of(workspace.timeZone()), DayOfWeek.of(workspace.weekStart()));
    }

    /** Today in the workspace. */
    public LocalDate today() {
        return LocalDate.now(zone);
    }

    /** The first day of the week that holds {@code day}. */
    public LocalDate weekOf(LocalDate day) {
        return day.with(TemporalAdjusters.previousOrSame(weekStart));
    }

    /** The instant a workspace day starts (daylight-saving changes make some days 23 or 25 hours long). */
    public Instant startOf(LocalDate day) {
        return day.atStartOfDay(zone).toInstant();
    }

    /** The workspace day an instant falls on. */
    public LocalDate dayOf(Instant instant) {
        return instant.atZone(zone).toLocalDate();
    }

    /**
     * Parses an ISO 8601 date-time: with an offset ({@code 2026-03-29T09:00:00+02:00} or {@code ...Z}) it is that
     * instant; without one it is read in the workspace's time zone.
     */
    public Instant instant(String field, String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeException withOffset) {
            try {
                return LocalDateTime.parse(value).atZone(zone).toInstant();
            } catch (DateTimeException local) {
                throw DomainException.invalid(field + " must be an ISO 8601 date-time such as 2026-03-02T09:30:00+01:00"
                        + " or 2026-03-02T09:30 (workspace time), got '" + shorten(value) + "'");
            }
        }
    }

    /** Parses an ISO 8601 date such as 2026-03-02. */
    public static LocalDate date(String field, String value) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeException e) {
            throw DomainException.invalid(field + " must be a date such as 2026-03-02, got '" + shorten(value) + "'");
        }
    }

    private static String shorten(String value) {
        return value.length() <= 40 ? value : value.substring(0, 37) + "...";
    }
}
