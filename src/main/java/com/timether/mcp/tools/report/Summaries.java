package com.timether.mcp.tools.report;

import com.timether.access.Role;
import com.timether.mcp.tool.Schema;
import com.timether.mcp.tool.ToolCall;
import com.timether.platform.db.FreshPlan;
import com.timether.platform.error.DomainException;
import com.timether.tracking.WorkspaceClock;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/** The SQL of the reports: clipped to the period, split at workspace midnights, honouring visibility. */
final class Summaries {
    private Summaries() {}

    /**
     * Entries overlapping the period, clipped to it. Entries last at most 24 hours, so starting no earlier than a day
     * before the period keeps the scan on the (workspace, started_at) index.
     */
    private static final String CLIPPED = "SELECT e.id, e.membership_id, e.project_id, e.billable, e.bill_rate_minor,"
            + " e.currency, greatest(e.started_at, :from) AS s, least(e.ended_at, :to) AS f,"
            + " CASE WHEN e.started_at >= :from AND e.ended_at <= :to THEN e.duration_ms END AS whole_ms"
            + " FROM time_entries e LEFT JOIN projects p ON p.id = e.project_id"
            + " WHERE e.workspace_id = :ws AND e.started_at >= CAST(:from AS timestamptz) - interval '24 hours'"
            + " AND e.started_at < :to AND e.ended_at > :from";

    /** The clipped entries cut at every workspace midnight they cross (daylight saving included). */
    private static final String DAY_PARTS = "SELECT c.*, d.day::date AS day,"
            + " greatest(c.s, (d.day AT TIME ZONE :tz)) AS ps,"
            + " least(c.f, ((d.day + interval '1 day') AT TIME ZONE :tz)) AS pf"
            + " FROM clipped c CROSS JOIN LATERAL generate_series(date_trunc('day', c.s AT TIME ZONE :tz),"
            + " date_trunc('day', c.f AT TIME ZONE :tz), interval '1 day') AS d(day)";

    static Map<String, Object> summary(ToolCall call, LocalDate from, LocalDate to, String groupBy) {
        WorkspaceClock clock = WorkspaceClock.of(call.principal().workspace());
        Map<String, Group> groups = sums(call, clock, from, to, groupBy);
        // Grouping by tag counts an entry under each of its tags, so the tag groups overlap; the totals must count
        // each entry once, hence a second pass without the tags.
        Collection<Group> whole =
                groupBy.equals("tag") ? sums(call, clock, from, to, "project").values() : groups.values();
        Group totals = new Group("total", "Total");
        whole.forEach(totals::addAll);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("from", from.toString());
        result.put("to", to.toString());
        result.put("group_by", groupBy);
        result.put("time_zone", clock.zone().getId());
        result.put("groups", groups.values().stream().map(Group::view).toList());
        result.put("totals", totals.view());
        return result;
    }

    /** The groups of the period by {@code groupBy}, in label order. */
    private static Map<String, Group> sums(
            ToolCall call, WorkspaceClock clock, LocalDate from, LocalDate to, String groupBy) {
        StringBuilder where = new StringBuilder();
        Optional<UUID> member = visibleMember(call);
        member.ifPresent(m -> where.append(" AND e.membership_id = :member"));
        call.args().optionalId("project_id").ifPresent(p -> where.append(" AND e.project_id = :project"));
        call.args().optionalId("client_id").ifPresent(c -> where.append(" AND p.client_id = :client"));
        call.args().optionalBool("billable").ifPresent(b -> where.append(" AND e.billable = :billable"));
        boolean isByDay = groupBy.equals("day") || groupBy.equals("week");
        // ms: an entry's milliseconds in the period (or in one of its days); the stored length when it is whole.
        String source = isByDay
                ? "(SELECT q.*, " + msBetween("q.ps", "q.pf") + " AS ms FROM (" + DAY_PARTS + ") q)"
                : "(SELECT c.*, coalesce(c.whole_ms, " + msBetween("c.s", "c.f") + ") AS ms FROM clipped c)";
        String[] key = keyOf(groupBy);
        // Sums per raw key first and names the groups after: sorting or joining every entry by its label made a
        // one-year summary of 500,000 entries spill to disk. Milliseconds in bigint keep the sums exact and cheap.
        String sql = "WITH clipped AS (" + CLIPPED + where + "), totals AS (SELECT " + key[0] + " AS k, x.currency,"
                + " sum(x.ms) AS ms, sum(x.ms) FILTER (WHERE x.billable) AS bms,"
                + " sum(x.ms * x.bill_rate_minor) FILTER (WHERE x.billable) AS rms FROM " + source + " x " + key[1]
                + " WHERE x.ms > 0 GROUP BY 1, 2)"
                + " SELECT t.k::text AS key, " + key[2] + " AS label, t.currency, t.ms / 1000.0 AS secs,"
                + " coalesce(t.bms, 0) / 1000.0 AS bsecs, coalesce(t.rms, 0) / 3600000.0 AS amount FROM totals t "
                + key[3] + " ORDER BY 2, 1, 3";
        Map<String, Group> groups = new LinkedHashMap<>();
        call.handle()
                .createQuery(sql)
                .addCustomizer(FreshPlan.EACH_TIME)
                .bind("ws", call.workspaceId())
                .bind("from", clock.startOf(from))
                .bind("to", clock.startOf(to.plusDays(1)))
                .bind("tz", clock.zone().getId())
                .bind("weekStart", clock.weekStart().getValue())
                .bind("member", member.orElse(null))
                .bind("project", call.args().optionalId("project_id").orElse(null))
                .bind("client", call.args().optionalId("client_id").orElse(null))
                .bind("billable", call.args().optionalBool("billable").orElse(null))
                .map((rs, ctx) -> {
                    String k = rs.getString("key");
                    String label = rs.getString("label");
                    groups.computeIfAbsent(
                                    k == null ? "none" : k, id -> new Group(id, label == null ? "(none)" : label))
                            .add(
                                    rs.getString("currency"),
                                    rs.getBigDecimal("secs"),
                                    rs.getBigDecimal("bsecs"),
                                    rs.getBigDecimal("amount"));
                    return k;
                })
                .list();
        return groups;
    }

    /** The milliseconds from {@code start} to {@code end}, rounded as the stored {@code duration_ms} is. */
    private static String msBetween(String start, String end) {
        return "round(date_part('epoch', " + end + " - " + start + ") * 1000)::bigint";
    }

    /** {raw key over the entries x, joins it needs, label over the totals t, joins the label needs}. */
    private static String[] keyOf(String groupBy) {
        return switch (groupBy) {
            case "project" -> new String[] {"x.project_id", "", "pr.name", "LEFT JOIN projects pr ON pr.id = t.k"};
            case "client" ->
                new String[] {
                    "pr.client_id",
                    "LEFT JOIN projects pr ON pr.id = x.project_id",
                    "cl.name",
                    "LEFT JOIN clients cl ON cl.id = t.k"
                };
            case "member" ->
                new String[] {
                    "x.membership_id",
                    "",
                    "u.display_name",
                    "JOIN memberships m ON m.id = t.k JOIN users u ON u.id = m.user_id"
                };
            case "tag" ->
                new String[] {
                    "tt.tag_id",
                    "LEFT JOIN time_entry_tags tt ON tt.time_entry_id = x.id",
                    "tg.name",
                    "LEFT JOIN tags tg ON tg.id = t.k"
                };
            case "day" -> new String[] {"x.day", "", "t.k::text", ""};
            case "week" ->
                new String[] {"x.day - ((extract(isodow FROM x.day)::int - :weekStart + 7) % 7)", "", "t.k::text", ""};
            default -> throw DomainException.invalid("group_by '" + groupBy + "' is not supported");
        };
    }

    /** Members see only their own time; managers and up may name one member or see everyone. */
    static Optional<UUID> visibleMember(ToolCall call) {
        if (!call.principal().role().isAtLeast(Role.MANAGER)) {
            Optional<UUID> asked = call.args().optionalId("member_id");
            if (asked.isPresent() && !asked.get().equals(call.principal().memberId())) {
                throw DomainException.invalid("Members see only their own time; leave member_id out");
            }
            return Optional.of(call.principal().memberId());
        }
        return call.args().optionalId("member_id");
    }

    /** Sums of one group, amounts kept per currency. */
    private static final class Group {
        private final String key;
        private final String label;
        private BigDecimal seconds = BigDecimal.ZERO;
        private BigDecimal billableSeconds = BigDecimal.ZERO;
        private final Map<String, BigDecimal> amounts = new TreeMap<>();

        Group(String key, String label) {
            this.key = key;
            this.label = label;
        }

        void add(String currency, BigDecimal secs, BigDecimal bsecs, BigDecimal amount) {
            seconds = seconds.add(secs);
            billableSeconds = billableSeconds.add(bsecs);
            amounts.merge(currency, amount, BigDecimal::add);
        }

        void addAll(Group other) {
            seconds = seconds.add(other.seconds);
            billableSeconds = billableSeconds.add(other.billableSeconds);
            other.amounts.forEach((currency, amount) -> amounts.merge(currency, amount, BigDecimal::add));
        }

        Map<String, Object> view() {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("key", key);
            view.put("label", label);
            view.put(
                    "tracked_minutes",
                    seconds.divide(BigDecimal.valueOf(60), 0, RoundingMode.HALF_UP)
                            .longValue());
            view.put(
                    "billable_minutes",
                    billableSeconds
                            .divide(BigDecimal.valueOf(60), 0, RoundingMode.HALF_UP)
                            .longValue());
            List<Map<String, Object>> money = new ArrayList<>();
            amounts.forEach((currency, amount) -> money.add(Map.of(
                    "currency",
                    currency,
                    "amount_minor",
                    amount.setScale(0, RoundingMode.HALF_UP).longValue())));
            view.put("billable_amounts", money);
            return view;
        }
    }

    static Map<String, Object> weekly(ToolCall call) {
        WorkspaceClock clock = WorkspaceClock.of(call.principal().workspace());
        LocalDate week = clock.weekOf(call.args()
                .optionalText("week", 10)
                .map(v -> WorkspaceClock.date("week", v))
                .orElse(clock.today()));
        Optional<UUID> member = visibleMember(call);
        String sql = "WITH clipped AS (" + CLIPPED + (member.isPresent() ? " AND e.membership_id = :member" : "")
                + ") SELECT x.membership_id, u.display_name, x.day, sum(extract(epoch FROM x.pf - x.ps)) AS secs"
                + " FROM (" + DAY_PARTS + ") x JOIN memberships m ON m.id = x.membership_id"
                + " JOIN users u ON u.id = m.user_id WHERE x.pf > x.ps GROUP BY 1, 2, 3 ORDER BY 2, 1, 3";
        Map<UUID, Map<String, Object>> rows = new LinkedHashMap<>();
        call.handle()
                .createQuery(sql)
                .addCustomizer(FreshPlan.EACH_TIME)
                .bind("ws", call.workspaceId())
                .bind("from", clock.startOf(week))
                .bind("to", clock.startOf(week.plusDays(7)))
                .bind("tz", clock.zone().getId())
                .bind("member", member.orElse(null))
                .map((rs, ctx) -> {
                    UUID id = rs.getObject("membership_id", UUID.class);
                    Map<String, Object> row = rows.computeIfAbsent(id, k -> newWeekRow(k, rs, week));
                    @SuppressWarnings("unchecked")
                    Map<String, Long> days = (Map<String, Long>) row.get("days");
                    long minutes = rs.getBigDecimal("secs")
                            .divide(BigDecimal.valueOf(60), 0, RoundingMode.HALF_UP)
                            .longValue();
                    days.merge(rs.getObject("day", LocalDate.class).toString(), minutes, Long::sum);
                    row.put("total_minutes", (Long) row.get("total_minutes") + minutes);
                    return id;
                })
                .list();
        return Map.of("week_start", week.toString(), "rows", List.copyOf(rows.values()));
    }

    private static Map<String, Object> newWeekRow(UUID member, java.sql.ResultSet rs, LocalDate week) {
        try {
            Map<String, Long> days = new LinkedHashMap<>();
            for (int i = 0; i < 7; i++) {
                days.put(week.plusDays(i).toString(), 0L);
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("member_id", member.toString());
            row.put("member_name", rs.getString("display_name"));
            row.put("days", days);
            row.put("total_minutes", 0L);
            return row;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("Could not read a weekly report row", e);
        }
    }

    /**
     * Budgets are in the workspace currency, so only billable time kept in that currency counts against them; time
     * kept in another currency (the workspace's currency changed since) is listed per currency, never added in.
     */
    static Map<String, Object> budgets(ToolCall call) {
        String currency = call.principal().workspace().currency();
        List<Map<String, Object>> rows = call.handle()
                .createQuery("SELECT p.id, p.name, p.budget_minutes,"
                        + " p.budget_amount_minor, coalesce(sum(extract(epoch FROM e.ended_at - e.started_at)), 0)"
                        + " AS secs, coalesce(sum(CASE WHEN e.billable AND e.currency = :currency THEN"
                        + " extract(epoch FROM e.ended_at - e.started_at) * e.bill_rate_minor ELSE 0 END) / 3600, 0)"
                        + " AS amount, ARRAY(SELECT x.currency || '=' || round(sum(extract(epoch FROM x.ended_at"
                        + " - x.started_at) * x.bill_rate_minor) / 3600) FROM time_entries x WHERE x.project_id = p.id"
                        + " AND x.billable GROUP BY x.currency ORDER BY x.currency) AS amounts FROM projects p"
                        + " LEFT JOIN time_entries e ON e.project_id = p.id WHERE p.workspace_id = :ws"
                        + " AND (p.budget_minutes IS NOT NULL OR p.budget_amount_minor IS NOT NULL)"
                        + " GROUP BY p.id ORDER BY lower(p.name), p.id")
                .bind("ws", call.workspaceId())
                .bind("currency", currency)
                .map((rs, ctx) -> {
                    long minutes = rs.getBigDecimal("secs").longValue() / 60;
                    long amount = rs.getBigDecimal("amount")
                            .setScale(0, RoundingMode.HALF_UP)
                            .longValue();
                    // budget_minutes is an integer column; the driver will not read an int4 as a Long.
                    Integer budgetMinutes = rs.getObject("budget_minutes", Integer.class);
                    Long budgetAmount = rs.getObject("budget_amount_minor", Long.class);
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("project_id", rs.getObject("id", UUID.class).toString());
                    row.put("project_name", rs.getString("name"));
                    row.put("budget_minutes", budgetMinutes);
                    row.put("tracked_minutes", minutes);
                    row.put("minutes_used_percent", budgetMinutes == null ? null : minutes * 100 / budgetMinutes);
                    row.put("budget_amount_minor", budgetAmount);
                    row.put("billable_amount_minor", amount);
                    row.put("amount_used_percent", budgetAmount == null ? null : amount * 100 / budgetAmount);
                    row.put("billable_amounts", perCurrency((String[])
                            rs.getArray("amounts").getArray()));
                    return row;
                })
                .list();
        return Map.of("currency", currency, "projects", rows);
    }

    /** {@code currency=amount} pairs as the query builds them, as amount objects. */
    private static List<Map<String, Object>> perCurrency(String[] pairs) {
        List<Map<String, Object>> amounts = new ArrayList<>();
        for (String pair : pairs) {
            String[] parts = pair.split("=", 2);
            amounts.add(Map.of("currency", parts[0], "amount_minor", new BigDecimal(parts[1]).longValue()));
        }
        return amounts;
    }

    static Map<String, Object> uninvoiced(ToolCall call) {
        List<Map<String, Object>> rows = call.handle()
                .createQuery("SELECT c.id, c.name, x.currency,"
                        + " sum(x.minutes) AS minutes, sum(x.time_amount) AS time_amount,"
                        + " sum(x.expense_amount) AS expense_amount FROM clients c JOIN ("
                        + " SELECT p.client_id, e.currency,"
                        + " extract(epoch FROM e.ended_at - e.started_at) / 60 AS minutes,"
                        + " extract(epoch FROM e.ended_at - e.started_at) * e.bill_rate_minor / 3600 AS time_amount,"
                        + " 0 AS expense_amount FROM time_entries e JOIN projects p ON p.id = e.project_id"
                        + " WHERE e.workspace_id = :ws AND e.billable AND e.invoice_id IS NULL"
                        + " UNION ALL SELECT p.client_id, x.currency, 0, 0, x.amount_minor FROM expenses x"
                        + " JOIN projects p ON p.id = x.project_id WHERE x.workspace_id = :ws AND x.billable"
                        + " AND x.invoice_id IS NULL) x ON x.client_id = c.id"
                        + " GROUP BY c.id, c.name, x.currency ORDER BY lower(c.name), c.id, x.currency")
                .bind("ws", call.workspaceId())
                .map((rs, ctx) -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("client_id", rs.getObject("id", UUID.class).toString());
                    row.put("client_name", rs.getString("name"));
                    row.put("currency", rs.getString("currency"));
                    row.put(
                            "billable_minutes",
                            rs.getBigDecimal("minutes")
                                    .setScale(0, RoundingMode.HALF_UP)
                                    .longValue());
                    row.put(
                            "time_amount_minor",
                            rs.getBigDecimal("time_amount")
                                    .setScale(0, RoundingMode.HALF_UP)
                                    .longValue());
                    row.put(
                            "expense_amount_minor",
                            rs.getBigDecimal("expense_amount").longValue());
                    return row;
                })
                .list();
        return Map.of("clients", rows);
    }

    static Map<String, Object> schema() {
        Map<String, Object> amount = Schema.object()
                .required("currency", Schema.string("Currency", 3))
                .required("amount_minor", Schema.number("Amount in minor units"))
                .toMap();
        Map<String, Object> group = Schema.object()
                .required("key", Schema.string("Group id or date", 40))
                .required("label", Schema.string("Group name", 200))
                .required("tracked_minutes", Schema.number("Tracked minutes"))
                .required("billable_minutes", Schema.number("Billable minutes"))
                .required("billable_amounts", Schema.arrayOf(amount, "Billable amount per currency"))
                .toMap();
        return Schema.object()
                .required("from", Schema.string("First day", 10))
                .required("to", Schema.string("Last day", 10))
                .required("group_by", Schema.string("Dimension", 10))
                .required("time_zone", Schema.string("Time zone that cut days", 60))
                .required("groups", Schema.arrayOf(group, "Groups"))
                .required("totals", group)
                .toMap();
    }

    static Map<String, Object> weeklySchema() {
        return Schema.object()
                .required("week_start", Schema.string("First day", 10))
                .required("rows", Schema.arrayOf(Map.of("type", "object"), "One row per member with time"))
                .toMap();
    }

    static Map<String, Object> budgetSchema() {
        return Schema.object()
                .required("currency", Schema.string("Workspace currency", 3))
                .required("projects", Schema.arrayOf(Map.of("type", "object"), "Projects with a budget"))
                .toMap();
    }

    static Map<String, Object> uninvoicedSchema() {
        return Schema.object()
                .required("clients", Schema.arrayOf(Map.of("type", "object"), "Per client and currency"))
                .toMap();
    }
}
