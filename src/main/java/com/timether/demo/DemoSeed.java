package com.timether.demo;

import com.timether.account.PasswordHasher;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The demo data of PRODUCT section 6. Seeding is idempotent: people are matched by email and workspaces by
 * name, and whatever already exists is left alone, so running it again never duplicates anything.
 */
public final class DemoSeed {
    /** The password of every demo account. */
    public static final String PASSWORD = "timether-demo";

    static final String NORTHWIND = "Northwind Studio";
    private static final ZoneId NORTHWIND_ZONE = ZoneId.of("Europe/Berlin");
    private static final long SEED_LOCK = 0x7431_6d65_7468_6572L;

    private final Jdbi jdbi;
    private final PasswordHasher hasher;

    public DemoSeed(Jdbi jdbi, PasswordHasher hasher) {
        this.jdbi = jdbi;
        this.hasher = hasher;
    }

    /** What a seeding run did. */
    public record Outcome(List<String> createdUsers, List<String> createdWorkspaces) {

        /** Whether the run changed nothing. */
        public boolean isUnchanged() {
            return createdUsers.isEmpty() && createdWorkspaces.isEmpty();
        }
    }

    private record Person(String email, String name, boolean isDisabled) {}

    private record Seat(String email, String role, boolean isActive) {}

    private record Space(String name, String plan, String billing, String status, List<Seat> seats) {}

    private static final List<Person> PEOPLE = List.of(
            new Person("ada@example.com", "Ada Lovelace", false),
            new Person("cy@example.com", "Cy Young", false),
            new Person("ben@example.com", "Ben Okafor", false),
            new Person("eve@example.com", "Eve Martin", false),
            new Person("finn@example.com", "Finn Berg", false),
            new Person("gus@example.com", "Gus Alvarez", true));

    private static final List<Space> SPACES = List.of(
            new Space(
                    NORTHWIND,
                    "business",
                    "active",
                    "active",
                    List.of(
                            new Seat("ada@example.com", "owner", true),
                            new Seat("cy@example.com", "admin", true),
                            new Seat("ben@example.com", "manager", true),
                            new Seat("eve@example.com", "member", true),
                            new Seat("finn@example.com", "member", false),
                            new Seat("gus@example.com", "member", true))),
            new Space(
                    "Harbor Labs",
                    "team",
                    "past_due",
                    "active",
                    List.of(new Seat("cy@example.com", "owner", true), new Seat("ben@example.com", "member", true))),
            new Space("Ada Solo", "solo_pro", "active", "active", List.of(new Seat("ada@example.com", "owner", true))),
            new Space("Ben Free", "free", "active", "active", List.of(new Seat("ben@example.com", "owner", true))),
            new Space(
                    "Old Mill",
                    "business",
                    "active",
                    "suspended",
                    List.of(new Seat("ada@example.com", "admin", true))));

    /** Creates whatever of the demo data is missing, in one transaction. */
    public Outcome seed() {
        return jdbi.inTransaction(h -> {
            // Two processes seeding one fresh database at once must not both create the data.
            h.execute("SELECT pg_advisory_xact_lock(?)", SEED_LOCK);
            List<String> users = new ArrayList<>();
            Map<String, UUID> ids = new LinkedHashMap<>();
            for (Person person : PEOPLE) {
                ids.put(person.email(), ensureUser(h, person, users));
            }
            List<String> spaces = new ArrayList<>();
            for (Space space : SPACES) {
                if (!workspaceExists(h, space.name())) {
                    createWorkspace(h, space, ids);
                    spaces.add(space.name());
                }
            }
            return new Outcome(users, spaces);
        });
    }

    private UUID ensureUser(Handle h, Person person, List<String> created) {
        var existing = h.createQuery("SELECT id FROM users WHERE lower(email) = :email")
                .bind("email", person.email())
                .mapTo(UUID.class)
                .findOne();
        if (existing.isPresent()) {
            return existing.get();
        }
        created.add(person.email());
        // Hashed only when the account is missing: Argon2id is slow on purpose, and every start seeds.
        String hash = hasher.hash(PASSWORD);
        return h.createQuery("INSERT INTO users (email, display_name, password_hash, status, time_zone)"
                        + " VALUES (:email, :name, :hash, :status, 'Europe/Berlin') RETURNING id")
                .bind("email", person.email())
                .bind("name", person.name())
                .bind("hash", hash)
                .bind("status", person.isDisabled() ? "disabled" : "active")
                .mapTo(UUID.class)
                .one();
    }

    private static boolean workspaceExists(Handle h, String name) {
        return h.createQuery("SELECT EXISTS (SELECT 1 FROM workspaces WHERE name = :name)")
                .bind("name", name)
                .mapTo(Boolean.class)
                .one();
    }

    private static void createWorkspace(Handle h, Space space, Map<String, UUID> userIds) {
        boolean isNorthwind = NORTHWIND.equals(space.name());
        UUID workspace = h.createQuery("INSERT INTO workspaces (name, plan, billing_state, status, currency,"
                        + " time_zone, default_rate_minor, rounding_minutes)"
                        + " VALUES (:name, :plan, :billing, :status, 'EUR', 'Europe/Berlin', :rate, :rounding)"
                        + " RETURNING id")
                .bind("name", space.name())
                .bind("plan", space.plan())
                .bind("billing", space.billing())
                .bind("status", space.status())
                .bind("rate", isNorthwind ? 9000 : 0)
                .bind("rounding", isNorthwind ? 5 : 0)
                .mapTo(UUID.class)
                .one();
        Map<String, UUID> members = new LinkedHashMap<>();
        for (Seat seat : space.seats()) {
            UUID member = h.createQuery("INSERT INTO memberships (workspace_id, user_id, role, status, bill_rate_minor,"
                            + " cost_rate_minor) VALUES (:ws, :user, :role, :status, :bill, :cost) RETURNING id")
                    .bind("ws", workspace)
                    .bind("user", userIds.get(seat.email()))
                    .bind("role", seat.role())
                    .bind("status", seat.isActive() ? "active" : "inactive")
                    .bind("bill", isNorthwind ? 8000 + 1500L * members.size() : null)
                    .bind("cost", isNorthwind ? 4000 + 500L * members.size() : null)
                    .mapTo(UUID.class)
                    .one();
            members.put(seat.email(), member);
        }
        if (isNorthwind) {
            new NorthwindData(h, workspace, NORTHWIND_ZONE, new Random(42)).fill(members);
        }
    }

    /** The realistic working data of Northwind Studio. */
    private record NorthwindData(Handle h, UUID workspace, ZoneId zone, Random random) {

        void fill(Map<String, UUID> members) {
            List<UUID> clients = List.of(
                    client("Acme Corporation", "billing@acme.example"),
                    client("Globex Retail", "ap@globex.example"),
                    client("Initech Bank", "finance@initech.example"));
            List<UUID> projects = List.of(
                    project(clients.get(0), "Acme Website Redesign", 12000, 400 * 60),
                    project(clients.get(0), "Acme Mobile App", 13000, 600 * 60),
                    project(clients.get(1), "Globex Brand Refresh", 11000, 200 * 60),
                    project(clients.get(2), "Initech Portal Audit", 15000, 150 * 60),
                    project(null, "Internal Operations", null, null));
            List<UUID> tags = List.of(tag("design"), tag("development"), tag("meeting"), tag("research"));
            LocalDate thisWeek = LocalDate.now(zone).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            List<String> working = List.of("ada@example.com", "cy@example.com", "ben@example.com", "eve@example.com");
            for (String email : working) {
                entries(members.get(email), thisWeek, projects, tags);
            }
            timer(members.get("eve@example.com"), projects.get(1), tags.get(1));
            submittedTimesheet(members.get("eve@example.com"), thisWeek.minusWeeks(1));
            expenses(members, projects);
            draftInvoice(clients.get(2), projects.get(3));
        }

        UUID client(String name, String email) {
            return h.createQuery("INSERT INTO clients (workspace_id, name, email, currency)"
                            + " VALUES (:ws, :name, :email, 'EUR') RETURNING id")
                    .bind("ws", workspace)
                    .bind("name", name)
                    .bind("email", email)
                    .mapTo(UUID.class)
                    .one();
        }

        UUID project(UUID client, String name, Integer rate, Integer budgetMinutes) {
            return h.createQuery("INSERT INTO projects (workspace_id, client_id, name, billable_default, rate_minor,"
                            + " budget_minutes) VALUES (:ws, :client, :name, :billable, :rate, :budget) RETURNING id")
                    .bind("ws", workspace)
                    .bind("client", client)
                    .bind("name", name)
                    .bind("billable", client != null)
                    .bind("rate", rate)
                    .bind("budget", budgetMinutes)
                    .mapTo(UUID.class)
                    .one();
        }

        UUID tag(String name) {
            return h.createQuery("INSERT INTO tags (workspace_id, name) VALUES (:ws, :name) RETURNING id")
                    .bind("ws", workspace)
                    .bind("name", name)
                    .mapTo(UUID.class)
                    .one();
        }

        /** Eight weeks before the current one, weekdays, two or three entries a day. */
        void entries(UUID member, LocalDate thisWeek, List<UUID> projects, List<UUID> tags) {
            String[] notes = {
                "Wireframes",
                "Sprint planning",
                "API integration",
                "Client call",
                "Code review",
                "Bug fixing",
                "Research spike",
                "Design QA",
                "Status report"
            };
            for (int week = 8; week >= 1; week--) {
                for (int day = 0; day < 5; day++) {
                    LocalDate date = thisWeek.minusWeeks(week).plusDays(day);
                    ZonedDateTime start = date.atTime(9, 0).atZone(zone);
                    int count = 2 + random.nextInt(2);
                    for (int i = 0; i < count; i++) {
                        int minutes = 45 + 15 * random.nextInt(12);
                        UUID project = projects.get(random.nextInt(projects.size()));
                        entry(
                                member,
                                project,
                                notes[random.nextInt(notes.length)],
                                start.toInstant(),
                                start.plusMinutes(minutes).toInstant(),
                                tags.get(random.nextInt(tags.size())));
                        start = start.plusMinutes(minutes + 15);
                    }
                }
            }
        }

        void entry(UUID member, UUID project, String note, Instant start, Instant end, UUID tag) {
            UUID id = h.createQuery("INSERT INTO time_entries (workspace_id, membership_id, project_id, description,"
                            + " started_at, ended_at, billable, bill_rate_minor, currency)"
                            + " SELECT :ws, :member, p.id, :note, :start, :end, p.billable_default,"
                            + " coalesce(p.rate_minor, m.bill_rate_minor, w.default_rate_minor), w.currency"
                            + " FROM projects p, memberships m, workspaces w"
                            + " WHERE p.id = :project AND m.id = :member AND w.id = :ws RETURNING id")
                    .bind("ws", workspace)
                    .bind("member", member)
                    .bind("project", project)
                    .bind("note", note)
                    .bind("start", start)
                    .bind("end", end)
                    .mapTo(UUID.class)
                    .one();
            h.createUpdate("INSERT INTO time_entry_tags (workspace_id, time_entry_id, tag_id) VALUES (:ws, :e, :t)")
                    .bind("ws", workspace)
                    .bind("e", id)
                    .bind("t", tag)
                    .execute();
        }

        void timer(UUID member, UUID project, UUID tag) {
            UUID id = h.createQuery("INSERT INTO timers (workspace_id, membership_id, project_id, description,"
                            + " started_at) VALUES (:ws, :member, :project, 'Checkout flow',"
                            + " now() - interval '47 minutes')"
                            + " RETURNING id")
                    .bind("ws", workspace)
                    .bind("member", member)
                    .bind("project", project)
                    .mapTo(UUID.class)
                    .one();
            h.createUpdate("INSERT INTO timer_tags (workspace_id, timer_id, tag_id) VALUES (:ws, :t, :tag)")
                    .bind("ws", workspace)
                    .bind("t", id)
                    .bind("tag", tag)
                    .execute();
        }

        void submittedTimesheet(UUID member, LocalDate week) {
            h.createUpdate("INSERT INTO timesheets (workspace_id, membership_id, week_start, status, submitted_at)"
                            + " VALUES (:ws, :member, :week, 'submitted', now() - interval '2 days')")
                    .bind("ws", workspace)
                    .bind("member", member)
                    .bind("week", week)
                    .execute();
        }

        void expenses(Map<String, UUID> members, List<UUID> projects) {
            Object[][] rows = {
                {"ben@example.com", 0, 12, "travel", "Train to Acme kickoff", 8640},
                {"eve@example.com", 1, 9, "software", "Device testing service, one month", 4900},
                {"cy@example.com", 2, 20, "meals", "Workshop lunch with Globex", 12350},
                {"ada@example.com", 3, 5, "lodging", "Hotel near Initech HQ", 18900}
            };
            for (Object[] row : rows) {
                h.createUpdate("INSERT INTO expenses (workspace_id, membership_id, project_id, spent_on, category,"
                                + " description, amount_minor, currency, billable)"
                                + " VALUES (:ws, :member, :project, :on, :category, :description, :amount,"
                                + " 'EUR', true)")
                        .bind("ws", workspace)
                        .bind("member", members.get((String) row[0]))
                        .bind("project", projects.get((Integer) row[1]))
                        .bind("on", LocalDate.now(zone).minusDays((Integer) row[2]))
                        .bind("category", (String) row[3])
                        .bind("description", (String) row[4])
                        .bind("amount", (Integer) row[5])
                        .execute();
            }
        }

        /** A draft for Initech holding the billable time of its project, one line per member. */
        void draftInvoice(UUID client, UUID project) {
            UUID invoice = h.createQuery("INSERT INTO invoices (workspace_id, client_id, currency, tax_rate_bp, notes)"
                            + " VALUES (:ws, :client, 'EUR', 1900, 'Portal audit, work to date') RETURNING id")
                    .bind("ws", workspace)
                    .bind("client", client)
                    .mapTo(UUID.class)
                    .one();
            h.createUpdate("UPDATE time_entries SET invoice_id = :invoice"
                            + " WHERE workspace_id = :ws AND project_id = :project AND billable")
                    .bind("invoice", invoice)
                    .bind("ws", workspace)
                    .bind("project", project)
                    .execute();
            h.createUpdate("INSERT INTO invoice_lines (workspace_id, invoice_id, position, kind, description,"
                            + " quantity_milli, unit_price_minor, amount_minor)"
                            + " SELECT :ws, :invoice, (row_number() OVER (ORDER BY u.display_name))::int - 1, 'time',"
                            + " 'Portal audit: ' || u.display_name,"
                            + " sum(extract(epoch FROM e.ended_at - e.started_at))::bigint * 1000 / 3600,"
                            + " max(e.bill_rate_minor),"
                            + " sum(extract(epoch FROM e.ended_at - e.started_at))::bigint"
                            + " * max(e.bill_rate_minor) / 3600"
                            + " FROM time_entries e JOIN memberships m ON m.id = e.membership_id"
                            + " JOIN users u ON u.id = m.user_id WHERE e.invoice_id = :invoice"
                            + " GROUP BY u.display_name")
                    .bind("ws", workspace)
                    .bind("invoice", invoice)
                    .execute();
            h.createUpdate("UPDATE invoices i SET subtotal_minor = s.total, tax_minor = s.total * 1900 / 10000,"
                            + " total_minor = s.total + s.total * 1900 / 10000"
                            + " FROM (SELECT coalesce(sum(amount_minor), 0) AS total FROM invoice_lines"
                            + " WHERE invoice_id = :invoice) s WHERE i.id = :invoice")
                    .bind("invoice", invoice)
                    .execute();
        }
    }
}
