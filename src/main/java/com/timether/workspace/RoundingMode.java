package com.timether.workspace;

import com.timether.platform.text.StoredName;

/** How stopped timers are rounded to the workspace's rounding interval. */
public enum RoundingMode implements StoredName {
    NEAREST,
    UP,
    DOWN
}
