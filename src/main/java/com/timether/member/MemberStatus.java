package com.timether.member;

import com.timether.platform.text.StoredName;

/** Whether a membership is in use; an inactive member keeps their history but has no access. */
public enum MemberStatus implements StoredName {
    ACTIVE,
    INACTIVE
}
