-- Time entry lists are ordered by (started_at DESC, id DESC), the keyset of their cursors. The first indexes kept id
-- ascending, so every page sorted again in groups of tied starts and read four times the rows it returned; with the
-- order of the list the index hands over exactly one page.
DROP INDEX time_entries_start_idx;
CREATE INDEX time_entries_start_idx ON time_entries (workspace_id, started_at DESC, id DESC);
DROP INDEX time_entries_member_start_idx;
CREATE INDEX time_entries_member_start_idx ON time_entries (workspace_id, membership_id, started_at DESC, id DESC);
