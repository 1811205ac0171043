package org.openprefect.appliance.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.artifacts.Artifact;
import org.openprefect.appliance.artifacts.ArtifactService;
import org.openprefect.appliance.blocks.BlockDocumentService;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.concurrency.ConcurrencyLimitService;
import org.openprefect.appliance.concurrency.TagLimitService;
import org.openprefect.appliance.events.EventService;
import org.openprefect.appliance.variables.VariableService;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The simple listings: concurrency limits with their active slots, blocks (names and types only:
 * a block's data, secrets included, never reaches a page), variables, artifacts and events.
 */
final class ResourcePages {
    static final int LISTED = 200;
    /** The most {@code /events/filter} answers in one page. */
    static final int EVENTS_LISTED = 50;

    /** A global concurrency limit. */
    record GlobalRow(String name, int limit, int activeSlots, boolean active, double decay) {
    }

    /** A tag concurrency limit and the task runs holding its slots. */
    record TagRow(String tag, int limit, int activeSlots) {
    }

    /** The concurrency page. */
    record ConcurrencyModel(List<GlobalRow> global, List<TagRow> tags) {
    }

    /** A block document. */
    record BlockRow(String name, String type, String updated) {
    }

    /** A variable. */
    record VariableRow(String name, String value, String tags, String updated) {
    }

    /** An artifact of the list. */
    record ArtifactRow(String key, String href, String type, String description, String created, String runHref) {
    }

    /** An artifact: its description and data rendered by type. */
    record ArtifactModel(String title, String type, String created, String runHref, String markdownHtml, ArtifactTable.Table table,
                         String raw) {
    }

    /** An event of the feed. */
    record EventRow(String occurred, String event, String resourceName, String resourceId, String payload) {
    }

    /** The events page. */
    record EventsModel(String prefix, List<EventRow> events, int shown, long total) {
    }

    private final Sources sources;
    private final String base;

    ResourcePages(Sources sources, String base) {
        this.sources = sources;
        this.base = base;
    }

    ConcurrencyModel concurrency() {
        ConcurrencyLimitService global = sources.globalLimits();
        TagLimitService tags = sources.tagLimits();
        ObjectNode all = Json.MAPPER.createObjectNode().put("limit", LISTED);
        return new ConcurrencyModel(global.list(all).stream().map(g -> new GlobalRow(g.name(), g.limit(), g.activeSlots(), g.active(),
                g.toJson().path("slot_decay_per_second").asDouble())).toList(),
                tags.list(all).stream().map(t -> new TagRow(t.path("tag").asText(), t.path("concurrency_limit").asInt(),
                        t.path("active_slots").size())).toList());
    }

    List<BlockRow> blocks() {
        BlockDocumentService blocks = sources.blockDocuments();
        ObjectNode body = Json.MAPPER.createObjectNode().put("limit", LISTED).put("include_secrets", false);
        body.putObject("block_documents").putObject("is_anonymous").put("eq_", false);
        return blocks.filter(body).stream().map(b -> new BlockRow(b.name(), b.blockType().name(),
                Display.time(b.updated()))).toList();
    }

    List<VariableRow> variables() {
        VariableService variables = sources.variables();
        ObjectNode body = Json.MAPPER.createObjectNode().put("limit", LISTED).put("sort", "NAME_ASC");
        return variables.listings().filter(body).stream().map(v -> new VariableRow(v.path("name").asText(), v.path("value").toString(),
                String.join(", ", Display.texts(v.path("tags"))), Display.time(v.path("updated")))).toList();
    }

    List<ArtifactRow> artifacts() {
        ArtifactService artifacts = sources.artifacts();
        ObjectNode body = Json.MAPPER.createObjectNode().put("limit", LISTED).put("sort", "CREATED_DESC");
        return artifacts.artifacts().filter(body).stream().map(a -> new ArtifactRow(a.path("key").isNull() ? "(no key)" : a.path("key").asText(),
                base + "/artifacts/artifact/" + a.path("id").asText(), Display.text(a.path("type")), Display.text(a.path("description")),
                Display.time(a.path("created")), runHref(a.path("flow_run_id")))).toList();
    }

    ArtifactModel artifact(UUID id) {
        Artifact a = sources.artifacts().read(id);
        String type = a.type() == null ? "" : a.type();
        JsonNode data = a.data() == null ? Json.MAPPER.nullNode() : a.data();
        String markdown = null;
        ArtifactTable.Table table = null;
        String raw = null;
        switch (type) {
            case "markdown", "link" -> markdown = SafeMarkdown.html(data.isTextual() ? data.asText() : data.toString());
            case "table" -> table = ArtifactTable.of(data);
            default -> raw = Display.json(data);
        }
        if ("table".equals(type) && table == null) {
            raw = Display.json(data);
        }
        String description = a.description() == null ? null : SafeMarkdown.html(a.description());
        return new ArtifactModel(a.key() == null ? a.id().toString() : a.key(), type, Display.time(a.created()),
                a.flowRunId() == null ? null : runHref(Json.MAPPER.getNodeFactory().textNode(a.flowRunId().toString())),
                join(description, markdown), table, raw);
    }

    EventsModel events(Query q) {
        EventService events = sources.events();
        String prefix = q.text("event", "");
        ObjectNode body = Json.MAPPER.createObjectNode().put("limit", EVENTS_LISTED);
        ObjectNode filter = body.putObject("filter").put("order", "DESC");
        if (!prefix.isEmpty()) {
            filter.putObject("event").putArray("prefix").add(prefix);
        }
        ObjectNode page = events.filter(body, base);
        List<EventRow> rows = new ArrayList<>();
        page.path("events").forEach(e -> rows.add(new EventRow(Display.time(e.path("occurred")), e.path("event").asText(),
                e.path("resource").path("prefect.resource.name").asText(""), e.path("resource").path("prefect.resource.id").asText(""),
                e.path("payload").isEmpty() ? "" : e.path("payload").toString())));
        return new EventsModel(prefix, rows, rows.size(), page.path("total").asLong());
    }

    private String runHref(JsonNode flowRunId) {
        return flowRunId == null || flowRunId.isNull() || flowRunId.isMissingNode() ? null : base + "/runs/flow-run/" + flowRunId.asText();
    }

    private static String join(String first, String second) {
        if (first == null) {
            return second;
        }
        return second == null ? first : first + second;
    }
}
