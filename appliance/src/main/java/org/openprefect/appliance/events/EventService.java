package org.openprefect.appliance.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.DataAccessException;
import org.openprefect.appliance.db.Database;
import org.openprefect.appliance.db.SqlWork;
import org.openprefect.appliance.db.Where;
import org.openprefect.appliance.http.ApiException;
import org.openprefect.appliance.http.InvalidRequestException;
import org.openprefect.appliance.http.RequestBodies;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Receives events (REST and the {@code /events/in} websocket), stores them and hands each to the
 * {@link EventRecorder}s that want it in the same transaction, so an acknowledged event is never lost.
 */
public final class EventService {
    private static final Logger LOG = Logger.getLogger(EventService.class.getName());
    static final int MAX_PAGE = 50;
    /**
     * From this many events a batch is written in a transaction of its own: shared with other writes
     * it would run under a savepoint, for which SQLite copies every page it changes; a commit of its
     * own costs less (docs/performance.md, tenth pass).
     */
    static final int ALONE_FROM = 16;

    private final Database db;
    private final EventRepository events;
    private final List<EventRecorder<?>> recorders;
    private final EventBus bus;

    public EventService(Database db, EventBus bus, List<EventRecorder<?>> recorders) {
        this.db = db;
        this.bus = bus;
        this.events = new EventRepository(db.dialect());
        this.recorders = List.copyOf(recorders);
    }

    /** Validates and stores one event; throws the 422 of {@link RequestBodies#validate} when it is not an Event. */
    public void receive(JsonNode body) {
        RequestBodies.validate(body, "Event");
        Incoming incoming = prepare(Event.from(body), Times.now());
        if (storeOne(incoming)) {
            bus.stored(List.of(incoming.id().toString()));
        }
    }

    /** Stores one event in a transaction of its own; false when an event with its id was stored already. */
    private boolean storeOne(Incoming incoming) {
        try {
            return !db.write(c -> storeNew(c, List.of(incoming))).isEmpty();
        } catch (DataAccessException e) {
            if (!e.isIntegrityViolation()) {
                throw e;
            }
            // A task run of a flow run this database does not hold (deleted, or run against another
            // server): no retry can record it. Keep the event, as upstream's separate consumers do,
            // so the client's stream goes on instead of resending the same event forever.
            LOG.warning("Event " + incoming.id() + " (" + incoming.event()
                    + ") refers to a run this database does not hold; the event is stored, its task run is not recorded.");
            return db.write(c -> events.insert(c, incoming.rows()));
        }
    }

    /**
     * An event made ready for its transaction: its id, its rows and, at each recorder's index, that
     * recorder's recording of it (null where the recorder does not want it). It holds no JSON tree: a
     * batch of a thousand parsed events waiting for the writer was most of the heap.
     */
    record Incoming(UUID id, String event, EventRepository.Prepared rows, Object[] recordings) {
    }

    /** Inside the transaction: the events' rows, then the recordings of those new to the database; returns those, in order. */
    private List<Incoming> storeNew(Connection c, List<Incoming> incoming) throws SQLException {
        List<Incoming> fresh = events.insertNew(c, incoming, Incoming::rows);
        record(c, fresh);
        return fresh;
    }

    /** Each recorder's recordings of the events just stored, in the order received. */
    private void record(Connection c, List<Incoming> stored) throws SQLException {
        for (int i = 0; i < recorders.size(); i++) {
            record(c, recorders.get(i), i, stored);
        }
    }

    @SuppressWarnings("unchecked") // recordings[index] is what recorder.prepare made
    private static <R> void record(Connection c, EventRecorder<R> recorder, int index, List<Incoming> stored) throws SQLException {
        List<R> recordings = new ArrayList<>();
        for (Incoming in : stored) {
            if (in.recordings()[index] != null) {
                recordings.add((R) in.recordings()[index]);
            }
        }
        if (!recordings.isEmpty()) {
            recorder.record(c, recordings);
        }
    }

    private Incoming prepare(Event event, Instant received) {
        Object[] recordings = new Object[recorders.size()];
        for (int i = 0; i < recordings.length; i++) {
            EventRecorder<?> recorder = recorders.get(i);
            recordings[i] = recorder.wants(event) ? recorder.prepare(event) : null;
        }
        return new Incoming(event.id(), event.event(), events.prepare(event, received), recordings);
    }

    /**
     * A message of {@code /events/in} made ready for its transaction, or null (logged) when it is not
     * JSON or not an Event. Only its rows outlive this call: the intake prepares each message as it
     * takes it, so the text dies young instead of waiting for the writer beside its rows.
     */
    Incoming prepare(String message) {
        Event event = validEvent(message);
        return event == null ? null : prepare(event, Times.now());
    }

    /**
     * Stores events that arrived together (a connection's queue) in one transaction, each as
     * {@link #receive} would (their rows in JDBC batches, then the new ones' recordings together, in
     * order). When one of them names a run this database does not hold, each is stored on its own so
     * only that one loses its task run.
     */
    void storeTogether(List<Incoming> incoming) {
        if (incoming.isEmpty()) {
            return;
        }
        List<Incoming> stored;
        try {
            SqlWork<List<Incoming>> store = c -> storeNew(c, incoming);
            stored = incoming.size() >= ALONE_FROM ? db.writeAlone(store) : db.write(store);
        } catch (DataAccessException e) {
            if (!e.isIntegrityViolation()) {
                throw e;
            }
            stored = new ArrayList<>();
            for (Incoming in : incoming) {
                if (storeOne(in)) {
                    stored.add(in);
                }
            }
        }
        if (!stored.isEmpty()) {
            bus.stored(stored.stream().map(in -> in.id().toString()).toList());
        }
    }

    /** The message's event, or null (logged) when it is not JSON or not an Event. */
    private static Event validEvent(String message) {
        JsonNode body = Json.parseOrNull(message);
        if (body == null) {
            LOG.warning("Ignoring a message on /events/in that is not JSON.");
            return null;
        }
        try {
            RequestBodies.validate(body, "Event");
            return Event.from(body);
        } catch (InvalidRequestException e) {
            LOG.warning("Ignoring an invalid event on /events/in: " + e.errors().entries());
            return null;
        }
    }

    public void receiveAll(JsonNode batch) {
        for (JsonNode event : batch) {
            receive(event);
        }
    }

    /** Counts of matching events by {@code countable}: day, time (buckets of time_unit × time_interval), event or resource. */
    public ArrayNode countBy(String countable, JsonNode body) {
        JsonNode filter = body.path("filter").isObject() ? body.get("filter") : JsonNodeFactory.instance.objectNode();
        Where where = events.where(filter);
        EventRepository.Window window = EventRepository.Window.of(filter);
        return db.read(c -> new EventCounts(db.dialect()).count(c, where, countable, body.path("time_unit").asText("day"),
                body.path("time_interval").asDouble(1.0), window.since(), window.until()));
    }

    /** Stored events matching a filter among the given ids (live delivery to {@code /events/out}). */
    public List<Event> matching(JsonNode filter, List<String> ids) {
        Where where = new Where().add(events.whereIgnoringTime(filter), false);
        where.add("events.id IN (" + Where.placeholders(ids.size()) + ")", ids.toArray());
        return db.read(c -> events.filter(c, where, true, ids.size(), 0));
    }

    /** Backfill for {@code /events/out}: matching events of the last {@code window}, oldest first. */
    public List<Event> backfill(JsonNode filter, Duration window, int limit) {
        ObjectNode bounded = filter.isObject() ? ((ObjectNode) filter).deepCopy() : JsonNodeFactory.instance.objectNode();
        Instant earliest = Times.now().minus(window);
        EventRepository.Window asked = EventRepository.Window.of(bounded);
        ObjectNode occurred = bounded.putObject("occurred");
        occurred.put("since", Times.iso(asked.since().isBefore(earliest) ? earliest : asked.since()));
        occurred.put("until", Times.iso(asked.until()));
        Where where = events.where(bounded);
        return db.read(c -> events.filter(c, where, true, limit, 0));
    }

    /** {@code EventPage}: a page of matching events, the total, and the next page's URL. */
    public ObjectNode filter(JsonNode body, String baseUrl) {
        int limit = body.hasNonNull("limit") ? body.get("limit").asInt() : MAX_PAGE;
        if (limit < 0 || limit > MAX_PAGE) {
            throw ApiException.detail(422, "Invalid limit: must be between 0 and " + MAX_PAGE + ".");
        }
        JsonNode filter = body.path("filter").isObject() ? body.get("filter") : JsonNodeFactory.instance.objectNode();
        return page(filter, limit, 0, baseUrl);
    }

    public ObjectNode nextPage(String token, String baseUrl) {
        try {
            JsonNode state = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(token));
            return page(state.get("filter"), state.get("limit").asInt(), state.get("offset").asInt(), baseUrl);
        } catch (Exception e) {
            throw ApiException.detail(403, "Invalid page token");
        }
    }

    private ObjectNode page(JsonNode filter, int limit, int offset, String baseUrl) {
        Where where = events.where(filter);
        boolean ascending = "ASC".equals(filter.path("order").asText("DESC"));
        List<Event> found = db.read(c -> events.filter(c, where, ascending, limit, offset));
        long total = db.read(c -> events.count(c, where));
        ObjectNode page = JsonNodeFactory.instance.objectNode();
        ArrayNode list = page.putArray("events");
        found.forEach(e -> list.add(e.toJson()));
        page.put("total", total);
        if (offset + limit < total && limit > 0) {
            ObjectNode next = JsonNodeFactory.instance.objectNode();
            next.set("filter", filter);
            next.put("limit", limit);
            next.put("offset", offset + limit);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(next.toString().getBytes(StandardCharsets.UTF_8));
            page.put("next_page", baseUrl + "/events/filter/next?page-token=" + token);
        } else {
            page.putNull("next_page");
        }
        return page;
    }
}
