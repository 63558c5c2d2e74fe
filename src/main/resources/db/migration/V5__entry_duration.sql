-- Each entry's length in whole milliseconds, kept by PostgreSQL. Reports sum it for every entry that lies inside
-- the period and work the length out only for the entries cut at the period's ends: on a one-year summary of
-- 500,000 entries the per-row interval arithmetic was about 80 ms of 260 (docs/benchmarks.md).
ALTER TABLE time_entries
    ADD COLUMN duration_ms bigint NOT NULL
    GENERATED ALWAYS AS (round(date_part('epoch', ended_at - started_at) * 1000)::bigint) STORED;
