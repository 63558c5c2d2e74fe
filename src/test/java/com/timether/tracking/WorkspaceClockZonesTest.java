package com.timether.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.timether.platform.error.DomainException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class WorkspaceClockZonesTest {
    private static final WorkspaceClock BERLIN = new WorkspaceClock(ZoneId.of("Europe/Berlin"), DayOfWeek.MONDAY);
    private static final WorkspaceClock NEW_YORK = new WorkspaceClock(ZoneId.of("America/New_York"), DayOfWeek.SUNDAY);

    @Test
    void startOf_springForwardDay_dayLasts23Hours() {
        Instant start = BERLIN.startOf(LocalDate.parse("2026-03-29"));
        Instant next = BERLIN.startOf(LocalDate.parse("2026-03-30"));

        assertThat(start).isEqualTo(Instant.parse("2026-03-28T23:00:00Z"));
        assertThat(next).isEqualTo(Instant.parse("2026-03-29T22:00:00Z"));
        assertThat(Duration.between(start, next)).isEqualTo(Duration.ofHours(23));
        assertThat(length(NEW_YORK, "2026-03-08")).isEqualTo(Duration.ofHours(23));
    }

    @Test
    void startOf_fallBackDay_dayLasts25Hours() {
        assertThat(length(BERLIN, "2026-10-25")).isEqualTo(Duration.ofHours(25));
        assertThat(length(NEW_YORK, "2026-11-01")).isEqualTo(Duration.ofHours(25));
        assertThat(length(BERLIN, "2026-10-26")).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void dayOf_2330Utc_nextDayInBerlinSameDayInNewYork() {
        Instant lateUtc = Instant.parse("2026-03-02T23:30:00Z");

        assertThat(BERLIN.dayOf(lateUtc)).isEqualTo(LocalDate.parse("2026-03-03"));
        assertThat(NEW_YORK.dayOf(lateUtc)).isEqualTo(LocalDate.parse("2026-03-02"));
        assertThat(new WorkspaceClock(ZoneId.of("UTC"), DayOfWeek.MONDAY).dayOf(lateUtc))
                .isEqualTo(LocalDate.parse("2026-03-02"));
    }

    @Test
    void weekOf_weekStartSetting_movesTheWeekADayBelongsTo() {
        LocalDate wednesday = LocalDate.parse("2026-03-04");
        LocalDate sunday = LocalDate.parse("2026-03-08");
        WorkspaceClock saturdayStart = new WorkspaceClock(ZoneId.of("UTC"), DayOfWeek.SATURDAY);

        assertThat(BERLIN.weekOf(wednesday)).isEqualTo(LocalDate.parse("2026-03-02"));
        assertThat(BERLIN.weekOf(sunday)).isEqualTo(LocalDate.parse("2026-03-02"));
        assertThat(NEW_YORK.weekOf(wednesday)).isEqualTo(LocalDate.parse("2026-03-01"));
        assertThat(NEW_YORK.weekOf(sunday)).isEqualTo(sunday);
        assertThat(saturdayStart.weekOf(LocalDate.parse("2026-03-06"))).isEqualTo(LocalDate.parse("2026-02-28"));
        assertThat(saturdayStart.weekOf(LocalDate.parse("2026-03-07"))).isEqualTo(LocalDate.parse("2026-03-07"));
    }

    @Test
    void instant_withOffset_isThatInstantInAnyZone() {
        assertThat(BERLIN.instant("start", "2026-03-29T09:00:00+02:00"))
                .isEqualTo(Instant.parse("2026-03-29T07:00:00Z"));
        assertThat(NEW_YORK.instant("start", "2026-03-02T23:30:00Z")).isEqualTo(Instant.parse("2026-03-02T23:30:00Z"));
    }

    @Test
    void instant_withoutOffset_readInTheWorkspaceZoneWithItsSummerTime() {
        assertThat(BERLIN.instant("start", "2026-03-02T09:30")).isEqualTo(Instant.parse("2026-03-02T08:30:00Z"));
        assertThat(BERLIN.instant("start", "2026-07-01T09:30")).isEqualTo(Instant.parse("2026-07-01T07:30:00Z"));
        assertThat(NEW_YORK.instant("start", "2026-03-02T09:30:00")).isEqualTo(Instant.parse("2026-03-02T14:30:00Z"));
    }

    @Test
    void instant_localTimeInTheSpringGap_movedForwardByTheGap() {
        // 02:30 does not exist in Berlin on 2026-03-29; it is read as 03:30 summer time, an hour after 01:30.
        assertThat(BERLIN.instant("start", "2026-03-29T02:30")).isEqualTo(Instant.parse("2026-03-29T01:30:00Z"));
    }

    @Test
    void instant_localTimeRepeatedAtFallBack_readAsTheEarlierOne() {
        // 02:30 happens twice in Berlin on 2026-10-25; without an offset the first (summer time) is meant.
        assertThat(BERLIN.instant("start", "2026-10-25T02:30")).isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
        assertThat(BERLIN.instant("start", "2026-10-25T02:30+01:00")).isEqualTo(Instant.parse("2026-10-25T01:30:00Z"));
    }

    @Test
    void instant_notADateTime_refusedNamingFieldValueAndForm() {
        assertThatThrownBy(() -> BERLIN.instant("end", "tomorrow 9am"))
                .isInstanceOf(DomainException.class)
                .hasMessage("end must be an ISO 8601 date-time such as 2026-03-02T09:30:00+01:00 or 2026-03-02T09:30"
                        + " (workspace time), got 'tomorrow 9am'");
        assertThatThrownBy(() -> BERLIN.instant("start", "x".repeat(60)))
                .hasMessageEndingWith("got '" + "x".repeat(37) + "...'");
    }

    @Test
    void date_notADate_refusedNamingFieldAndValue() {
        assertThat(WorkspaceClock.date("week", "2026-03-04")).isEqualTo(LocalDate.parse("2026-03-04"));
        assertThatThrownBy(() -> WorkspaceClock.date("week", "2026-02-30"))
                .isInstanceOf(DomainException.class)
                .hasMessage("week must be a date such as 2026-03-02, got '2026-02-30'");
        assertThatThrownBy(() -> WorkspaceClock.date("from", "03/04/2026"))
                .hasMessage("from must be a date such as 2026-03-02, got '03/04/2026'");
    }

    private static Duration length(WorkspaceClock clock, String day) {
        LocalDate date = LocalDate.parse(day);
        return Duration.between(clock.startOf(date), clock.startOf(date.plusDays(1)));
    }
}
