package org.openprefect.appliance.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.openprefect.appliance.common.Ids;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.Rows;
import org.openprefect.appliance.db.SqlDialect;
import org.openprefect.appliance.db.Where;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;
import java.util.function.Function;

/** All SQL of events: the {@code events} table and one {@code event_resources} row per resource. */
public final class EventRepository {
    private final SqlDialect dialect;

    public EventRepository(SqlDialect dialect) {
        this.dialect = dialect;
    }

    /** An event's rows, rendered before the transaction: the event's, and one per resource it names (its own first). */
    public record Prepared(List<Object> event, List<List<Object>> resources) {
    }

    /**
     * Each JSON document is written once: the resource's text is the event's column and its first
     * resource row's, and the related array is its elements' texts joined (what writing the array
     * gives, compact JSON having nothing between elements but commas).
     */
    public Prepared prepare(Event event, Instant received) {
        String id = event.id().toString();
        String created = dialect.timestamp(Times.now());
        String occurred = dialect.timestamp(event.occurred());
        String resourceId = event.resourceId();
        // An event's documents are rendered one after another in one buffer: its growth was a
        // tenth of what the /events/in path allocated (docs/performance.md, tenth pass).
        StringBuilder buffer = new StringBuilder(1024);
        String resource = Json.compact(event.resource(), buffer);
        List<List<Object>> resources = new ArrayList<>(1 + event.related().size());
        resources.add(resourceRow(id, occurred, resourceId, "", resource, created));
        StringJoiner relatedIds = new StringJoiner(",", "[", "]");
        StringJoiner related = new StringJoiner(",", "[", "]");
        for (ObjectNode r : event.related()) {
            String relatedId = r.path("prefect.resource.id").asText();
            String text = Json.compact(r, buffer);
            relatedIds.add(Json.compact(TextNode.valueOf(relatedId), buffer));
            related.add(text);
            resources.add(resourceRow(id, occurred, relatedId, r.path("prefect.resource.role").asText(""), text, created));
        }
        List<Object> row = Arrays.asList(id, created, created, occurred, event.event(), resourceId, resource, relatedIds.toString(),
                related.toString(), Json.compact(event.payload(), buffer), dialect.timestamp(received), created, Json.text(event.follows()));
        return new Prepared(row, resources);
    }

    /**
     * The row's id is time-ordered (v7; it is never shown): the index on it is the largest of an
     * event's, and random ids made every batch of events rewrite most of its pages.
     */
    private static List<Object> resourceRow(String eventId, String occurred, String resourceId, String role, String resource, String created) {
        return Arrays.asList(Ids.v7().toString(), created, created, occurred, resourceId, role, resource, eventId);
    }

    private static final String INSERT_EVENT = "INSERT INTO events (id, created, updated, occurred, event, resource_id, resource, "
            + "related_resource_ids, related, payload, received, recorded, follows) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT (id) DO NOTHING";
    private static final String INSERT_RESOURCE = "INSERT INTO event_resources (id, created, updated, occurred, resource_id, resource_role, "
            + "resource, event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    /** Inserts the event and its resource rows; false (nothing written) when an event with its id is already stored. */
    public boolean insert(Connection c, Prepared rows) throws SQLException {
        return !insertNew(c, List.of(rows), r -> r).isEmpty();
    }

    /**
     * Inserts the items' events and their resource rows, each statement as one JDBC batch (a round
     * trip, not one an event, on PostgreSQL); returns the items whose event was new, in order (an
     * event whose id is stored is skipped).
     */
    public <T> List<T> insertNew(Connection c, List<T> items, Function<T, Prepared> rowsOf) throws SQLException {
        List<Prepared> rows = items.stream().map(rowsOf).toList();
        int[] counts = Rows.updateEach(c, INSERT_EVENT, rows.stream().map(Prepared::event).toList());
        List<T> inserted = new ArrayList<>();
        List<List<Object>> resources = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0) {
                inserted.add(items.get(i));
                resources.addAll(rows.get(i).resources());
            }
        }
        if (!resources.isEmpty()) {
            Rows.updateEach(c, INSERT_RESOURCE, resources);
        }
        return inserted;
    }

    private static final String OLDEST = "SELECT id FROM events WHERE occurred < ? ORDER BY occurred, id LIMIT ?";

    /**
     * Deletes the {@code limit} oldest events that occurred before {@code olderThan} and their
     * resource rows (found by event_id: r0011 dropped the resource rows' own index on occurred);
     * returns how many events. Both statements pick the same events, being one transaction's.
     */
    public int trimOldest(Connection c, Instant olderThan, int limit) throws SQLException {
        List<Object> params = List.of(dialect.timestamp(olderThan), limit);
        Rows.update(c, "DELETE FROM event_resources WHERE event_id IN (" + OLDEST + ")", params);
        return Rows.update(c, "DELETE FROM events WHERE id IN (" + OLDEST + ")", params);
    }

    /** The time window of an EventFilter: {@code occurred.since} (default: 180 days before today) to {@code until} (default: now). */
    public record Window(Instant since, Instant until) {
        public static Window of(JsonNode filter) {
            JsonNode occurred = filter.path("occurred");
            Instant since = occurred.hasNonNull("since") ? Times.parse(occurred.get("since").asText())
                    : LocalDate.now(ZoneOffset.UTC).atStartOfDay().toInstant(ZoneOffset.UTC).minusSeconds(180L * 86_400);
            Instant until = occurred.hasNonNull("until") ? Times.parse(occurred.get("until").asText()) : Times.now();
            return new Window(since, until);
        }
    }

    /** The conditions of an EventFilter. */
    public Where where(JsonNode filter) {
        Where w = new Where();
        Window window = Window.of(filter);
        w.add("events.occurred >= ?", dialect.timestamp(window.since()));
        w.add("events.occurred <= ?", dialect.timestamp(window.until()));
        return w.add(conditions(filter, window), false);
    }

    /** The conditions of an EventFilter other than its time window (live delivery matches new events by these). */
    public Where whereIgnoringTime(JsonNode filter) {
        return conditions(filter, null);
    }

    private Where conditions(JsonNode filter, Window window) {
        Where w = new Where();
        JsonNode event = filter.path("event");
        anyPrefix(w, "events.event", event.path("prefix"), false);
        anyPrefix(w, "events.event", event.path("exclude_prefix"), true);
        in(w, "events.event", event.path("name"), false);
        in(w, "events.event", event.path("exclude_name"), true);
        JsonNode resource = filter.path("resource");
        in(w, "events.resource_id", resource.path("id"), false);
        anyPrefix(w, "events.resource_id", resource.path("id_prefix"), false);
        for (JsonNode related : asList(filter.path("related"))) {
            Where r = new Where();
            in(r, "er.resource_id", related.path("id"), false);
            in(r, "er.resource_role", related.path("role"), false);
            if (!r.isEmpty()) {
                withResourceRow(w, r.add("er.resource_role <> ''"), related.path("id"), window);
            }
        }
        for (JsonNode any : asList(filter.path("any_resource"))) {
            Where r = new Where();
            in(r, "er.resource_id", any.path("id"), false);
            anyPrefix(r, "er.resource_id", any.path("id_prefix"), false);
            withResourceRow(w, r, any.path("id"), window);
        }
        in(w, "events.id", filter.path("id").path("id"), false);
        if (filter.path("text").hasNonNull("query")) {
            w.add(dialect.containsIgnoringCase(dialect.jsonText("events.resource")) + " OR " + dialect.containsIgnoringCase("events.event"),
                    filter.path("text").get("query").asText(), filter.path("text").get("query").asText());
        }
        return w;
    }

    /**
     * Events with a resource row matching {@code rows}. Given resource ids and a time window, the
     * rows are found first, by (resource_id, occurred): SQLite runs an EXISTS by testing every event
     * of the window (a page and its total: 1 s at 200,000 events in the window, under 10 ms this
     * way; docs/performance.md, "Twelfth pass"). Prefixes or roles alone, and live delivery (a few
     * known events), keep the EXISTS.
     */
    private void withResourceRow(Where w, Where rows, JsonNode ids, Window window) {
        if (rows.isEmpty()) {
            return;
        }
        if (window == null || !ids.isArray() || ids.isEmpty()) {
            w.exists("SELECT 1 FROM event_resources er WHERE er.event_id = events.id", rows);
            return;
        }
        rows.add("er.occurred >= ?", dialect.timestamp(window.since()));
        rows.add("er.occurred <= ?", dialect.timestamp(window.until()));
        w.add("events.id IN (SELECT er.event_id FROM event_resources er WHERE " + rows.sql() + ")", rows.params().toArray());
    }

    public List<Event> filter(Connection c, Where where, boolean ascending, int limit, int offset) throws SQLException {
        String order = ascending ? "events.occurred ASC, events.id ASC" : "events.occurred DESC, events.id DESC";
        return Rows.page(c, "SELECT * FROM events", where, order, limit, offset, this::map);
    }

    public long count(Connection c, Where where) throws SQLException {
        return Rows.count(c, "SELECT count(*) FROM events WHERE " + where.sql(), where.params());
    }

    private Event map(ResultSet rs) throws SQLException {
        List<ObjectNode> related = new ArrayList<>();
        Rows.json(rs, "related").forEach(r -> related.add((ObjectNode) r));
        JsonNode payload = Rows.json(rs, "payload");
        return new Event(dialect.readTimestamp(rs, "occurred"), rs.getString("event"), (ObjectNode) Rows.json(rs, "resource"), related,
                payload.isObject() ? (ObjectNode) payload : JsonNodeFactory.instance.objectNode(), Rows.uuid(rs, "id"),
                Rows.uuid(rs, "follows"), dialect.readTimestamp(rs, "received"));
    }

    private static List<JsonNode> asList(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(out::add);
        } else if (node.isObject()) {
            out.add(node);
        }
        return out;
    }

    private static void in(Where w, String column, JsonNode values, boolean negate) {
        if (!values.isArray()) {
            return;
        }
        List<String> list = new ArrayList<>();
        values.forEach(v -> list.add(v.asText()));
        if (list.isEmpty()) {
            // Upstream's event filters test their lists for truth: an empty list is no condition.
            // The runner subscribes with "id": {"id": []} and must still hear of its Cancelling runs.
            return;
        }
        w.add(column + (negate ? " NOT IN (" : " IN (") + Where.placeholders(list.size()) + ")", list.toArray());
    }

    private static void anyPrefix(Where w, String column, JsonNode prefixes, boolean negate) {
        if (!prefixes.isArray() || prefixes.isEmpty()) {
            return;
        }
        Where any = new Where();
        prefixes.forEach(p -> any.add(column + " LIKE ? || '%'", p.asText()));
        w.add(negate ? "NOT " + any.sql(true) : any.sql(true), any.params().toArray());
    }
}
