package com.timether.tracking;

import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Resolves the hourly bill rate of new time once, to be kept on the entry: the member's rate on the project, else
 * the project's rate, else the member's rate, else the workspace default.
 */
public final class BillRates {
    private BillRates() {}

    /** The rate in minor units for {@code member} working on {@code project} (which may be null). */
    public static long resolve(Handle h, UUID workspaceId, UUID member, UUID project) {
        return h.createQuery("SELECT coalesce("
                        + "(SELECT rate_minor FROM project_members"
                        + " WHERE project_id = :project AND membership_id = :member),"
                        + " (SELECT rate_minor FROM projects WHERE workspace_id = :ws AND id = :project),"
                        + " (SELECT bill_rate_minor FROM memberships WHERE workspace_id = :ws AND id = :member),"
                        + " (SELECT default_rate_minor FROM workspaces WHERE id = :ws))")
                .bind("ws", workspaceId)
                .bind("member", member)
                .bind("project", project)
                .mapTo(Long.class)
                .one();
    }
}
