package com.timether.member;

import com.timether.access.Role;
import java.util.OptionalLong;
import java.util.UUID;

/** A person's membership in one workspace. */
public record Member(
        UUID id,
        UUID workspaceId,
        UUID userId,
        String email,
        String displayName,
        Role role,
        MemberStatus status,
        OptionalLong billRateMinor,
        OptionalLong costRateMinor) {}
