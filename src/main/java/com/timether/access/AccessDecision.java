package com.timether.access;

/** The answer of {@link AccessPolicy}: allowed, or refused with a reason a person or model can act on. */
public sealed interface AccessDecision {

    /** Whether the operation may go ahead. */
    boolean isAllowed();

    /** Allowed. */
    record Allowed() implements AccessDecision {
        @Override
        public boolean isAllowed() {
            return true;
        }
    }

    /** Refused for {@code reason}, explained by {@code message}. */
    record Denied(Reason reason, String message) implements AccessDecision {
        @Override
        public boolean isAllowed() {
            return false;
        }
    }

    /** Why access was refused, most fundamental first. */
    enum Reason {
        WORKSPACE_INACTIVE,
        BILLING_BLOCKED,
        BILLING_READ_ONLY,
        NOT_ENTITLED,
        CAPABILITY_OFF,
        ROLE_TOO_LOW,
        SCOPE_TOO_NARROW
    }
}
