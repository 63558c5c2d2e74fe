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

class WorkspaceClockTest {
    private final WorkspaceClock berlin = new WorkspaceClock(ZoneId.of("Europe/Berlin"), DayOfWeek.MONDAY);

    @Test
    void instant_withOffsetOrZ_isExact() {
        assertThat(berlin.instant("start", "2026-03-02T09:30:00-05:00"))
                .isEqualTo(Instant.parse("2026-03-02T14:30:00Z"));
        assertThat(berlin.instant("start", "2026-07-01T09:30Z")).isEqualTo(Instant.parse("2026-07-01T09:30:00Z"));
    }

    @Test
    void instant_withoutOffset_isReadInTheWorkspaceZoneAcrossDaylightSaving() {
        assertThat(berlin.instant("start", "2026-03-02T09:30")).isEqualTo(Instant.parse("2026-03-02T08:30:00Z"));
        assertThat(berlin.instant("start", "2026-07-01T09:30")).isEqualTo(Instant.parse("2026-07-01T07:30:00Z"));
    }

    @Test
    void instant_notADateTime_refusedNamingTheFieldAndValue() {
        assertThatThrownBy(() -> berlin.instant("end", "tomorrow at nine"))
                .isInstanceOf(DomainException.class)
                .hasMessageStartingWith("end must be an ISO 8601 date-time")
                .hasMessageEndingWith("got 'tomorrow at nine'");
    }

    @Test
    void dayOf_lateEveningUtc_isTheNextWorkspaceDay() {
        assertThat(berlin.dayOf(Instant.parse("2026-03-10T23:30:00Z"))).isEqualTo(LocalDate.parse("2026-03-11"));
        assertThat(berlin.dayOf(Instant.parse("2026-03-10T22:59:59Z"))).isEqualTo(LocalDate.parse("2026-03-10"));
    }

    @Test
    void weekOf_weekStart_isThePreviousOrSameStartDay() {
        WorkspaceClock sundays = new WorkspaceClock(ZoneId.of("UTC"), DayOfWeek.SUNDAY);

        assertThat(berlin.weekOf(LocalDate.parse("2026-03-08"))).isEqualTo(LocalDate.parse("2026-03-02"));
        assertThat(berlin.weekOf(LocalDate.parse("2026-03-09"))).isEqualTo(LocalDate.parse("2026-03-09"));
        assertThat(sundays.weekOf(LocalDate.parse("2026-03-08"))).isEqualTo(LocalDate.parse("2026-03-08"));
        assertThat(sundays.weekOf(LocalDate.parse("2026-03-07"))).isEqualTo(LocalDate.parse("2026-03-01"));
    }

    @Test
    void startOf_daylightSavingDays_last23And25Hours() {
        Duration spring = Duration.between(
                berlin.startOf(LocalDate.parse("2026-03-29")), berlin.startOf(LocalDate.parse("2026-03-30")));
        Duration autumn = Duration.between(
                berlin.startOf(LocalDate.parse("2026-10-25")), berlin.startOf(LocalDate.parse("2026-10-26")));

        assertThat(spring).isEqualTo(Duration.ofHours(23));
        assertThat(autumn).isEqualTo(Duration.ofHours(25));
    }

    @Test
    void date_notADate_refusedNamingTheFieldAndValue() {
        assertThat(WorkspaceClock.date("from", "2026-03-02")).isEqualTo(LocalDate.parse("2026-03-02"));
        assertThatThrownBy(() -> WorkspaceClock.date("from", "2026-02-30"))
                .isInstanceOf(DomainException.class)
                .hasMessage("from must be a date such as 2026-03-02, got '2026-02-30'");
    }
}
