package com.timether.tracking;

import com.timether.workspace.RoundingMode;
import java.time.Duration;

/** The workspace's rounding of stopped timers. */
public final class Rounding {
    private Rounding() {}

    /**
     * Rounds {@code elapsed} to whole {@code minutes} by {@code mode}; never below one unit (or one minute without
     * rounding), since an entry must last longer than zero.
     */
    public static Duration apply(Duration elapsed, int minutes, RoundingMode mode) {
        if (minutes <= 0) {
            long seconds = Math.max(60, elapsed.toSeconds());
            return Duration.ofSeconds(seconds);
        }
        long unit = minutes * 60L;
        long seconds = elapsed.toSeconds();
        long units = switch (mode) {
            case UP -> (seconds + unit - 1) / unit;
            case DOWN -> seconds / unit;
            case NEAREST -> (seconds + unit / 2) / unit;
        };
        return Duration.ofSeconds(Math.max(1, units) * unit);
    }
}
