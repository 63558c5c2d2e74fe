package com.timether.account;

import java.util.UUID;

/** A person with an account. */
public record User(UUID id, String email, String displayName, UserStatus status, String timeZone) {

    /** Whether the person may sign in and use connections. */
    public boolean isActive() {
        return status == UserStatus.ACTIVE;
    }
}
