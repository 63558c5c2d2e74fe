package com.timether.account;

import com.timether.platform.text.StoredName;

/** Whether a person may sign in. */
public enum UserStatus implements StoredName {
    ACTIVE,
    DISABLED
}
