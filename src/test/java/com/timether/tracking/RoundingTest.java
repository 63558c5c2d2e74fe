package com.timether.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import com.timether.workspace.RoundingMode;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class RoundingTest {

    @ParameterizedTest
    @CsvSource({
        // unit minutes, mode, elapsed seconds, rounded seconds
        "15, UP, 1, 900",
        "15, UP, 900, 900",
        "15, UP, 901, 1800",
        "15, DOWN, 1799, 900",
        "15, DOWN, 1800, 1800",
        "15, NEAREST, 449, 900",
        "15, NEAREST, 1349, 900",
        "15, NEAREST, 1350, 1800",
        "6, NEAREST, 539, 360",
        "6, NEAREST, 540, 720",
        "60, UP, 86399, 86400",
        "1, DOWN, 119, 60"
    })
    void apply_unitAndMode_roundsToWholeUnits(int minutes, RoundingMode mode, long elapsed, long rounded) {
        assertThat(Rounding.apply(Duration.ofSeconds(elapsed), minutes, mode)).isEqualTo(Duration.ofSeconds(rounded));
    }

    @ParameterizedTest
    @EnumSource(RoundingMode.class)
    void apply_lessThanHalfAUnitOrNothing_neverBelowOneUnit(RoundingMode mode) {
        assertThat(Rounding.apply(Duration.ZERO, 30, mode)).isEqualTo(Duration.ofMinutes(30));
        assertThat(Rounding.apply(Duration.ofMinutes(5), 30, mode)).isEqualTo(Duration.ofMinutes(30));
    }

    @ParameterizedTest
    @EnumSource(RoundingMode.class)
    void apply_noRounding_keepsTheSecondsButAtLeastOneMinute(RoundingMode mode) {
        assertThat(Rounding.apply(Duration.ofSeconds(2521).plusMillis(700), 0, mode))
                .isEqualTo(Duration.ofSeconds(2521));
        assertThat(Rounding.apply(Duration.ofSeconds(3), 0, mode)).isEqualTo(Duration.ofMinutes(1));
        assertThat(Rounding.apply(Duration.ZERO, 0, mode)).isEqualTo(Duration.ofMinutes(1));
    }
}
