package org.openprefect.appliance.artifacts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.Database;
import org.openprefect.appliance.filters.Listings;
import org.openprefect.appliance.http.ApiException;
import org.openprefect.appliance.http.NameRule;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Artifacts and the latest artifact of each key, as upstream keeps them. */
public final class ArtifactService {
    private static final String NOT_FOUND = "Artifact not found.";
    /** Upstream's {@code validate_max_metadata_length}: longer metadata values are cut, not refused. */
    private static final int MAX_METADATA_LENGTH = 500;

    private final Database db;
    private final ArtifactRepository artifacts;
    private final ArtifactRepository latest;
    private final Listings artifactListings;
    private final Listings latestListings;

    public ArtifactService(Database db, int defaultLimit) {
        this.db = db;
        this.artifacts = ArtifactRepository.artifacts(db.dialect());
        this.latest = ArtifactRepository.latestPerKey(db.dialect());
        this.artifactListings = new Listings(db, artifacts, "ID_DESC", defaultLimit);
        this.latestListings = new Listings(db, latest, "ID_DESC", defaultLimit);
    }

    /** {@code POST /artifacts/}: a keyed artifact becomes its key's latest. */
    public Artifact create(JsonNode body) {
        String key = Json.text(body, "key");
        if (key != null) {
            NameRule.DASHES.check(body, List.of("body", "key"), "Artifact key", key);
        }
        Instant now = Times.now();
        Artifact artifact = new Artifact(UUID.randomUUID(), now, now, key, null, Json.text(body, "type"), Json.text(body, "description"),
                body.path("data").isMissingNode() ? NullNode.getInstance() : body.get("data"), metadata(body.get("metadata_")),
                Json.uuid(body, "flow_run_id"), Json.uuid(body, "task_run_id"));
        return db.write(c -> {
            if (key != null) {
                latest.makeLatest(c, artifact);
            }
            artifacts.insert(c, artifact);
            return artifacts.byId(c, artifact.id());
        });
    }

    public Artifact read(UUID id) {
        return ApiException.found(db.read(c -> artifacts.byId(c, id)), NOT_FOUND);
    }

    /** {@code GET /artifacts/{key}/latest}: the key's collection entry. */
    public Artifact readLatest(String key) {
        return ApiException.found(db.read(c -> latest.byKey(c, key)), NOT_FOUND);
    }

    /** {@code PATCH}: the fields sent (data, description, metadata_), on the artifact and, if it is its key's latest, on that entry. */
    public void update(UUID id, JsonNode body) {
        Map<String, Object> columns = new LinkedHashMap<>();
        if (body.has("data")) {
            columns.put("data", body.get("data"));
        }
        if (body.has("description")) {
            columns.put("description", Json.text(body, "description"));
        }
        if (body.has("metadata_")) {
            columns.put("metadata_", metadata(body.get("metadata_")));
        }
        boolean found = db.write(c -> columns.isEmpty() ? artifacts.byId(c, id) != null : artifacts.update(c, id, columns));
        if (!found) {
            throw ApiException.notFound(NOT_FOUND);
        }
    }

    /** Deleting a key's latest artifact makes the next newest of the key the latest, or removes the key's entry. */
    public void delete(UUID id) {
        db.write(c -> {
            Artifact artifact = ApiException.found(artifacts.byId(c, id), NOT_FOUND);
            if (artifact.key() != null) {
                Artifact entry = latest.byKey(c, artifact.key());
                if (entry != null && id.equals(entry.latestId())) {
                    Artifact next = artifacts.newestOfKey(c, artifact.key(), id);
                    if (next == null) {
                        latest.deleteLatest(c, artifact.key(), id);
                    } else {
                        latest.repointLatest(c, artifact.key(), next);
                    }
                }
            }
            return artifacts.delete(c, id);
        });
    }

    public Listings artifacts() {
        return artifactListings;
    }

    public Listings latest() {
        return latestListings;
    }

    private static JsonNode metadata(JsonNode given) {
        if (!(given instanceof ObjectNode object)) {
            return NullNode.getInstance();
        }
        ObjectNode cut = object.deepCopy();
        object.properties().forEach(field -> {
            String text = field.getValue().asText();
            if (text.length() > MAX_METADATA_LENGTH) {
                cut.put(field.getKey(), text.substring(0, MAX_METADATA_LENGTH) + "...");
            }
        });
        return cut;
    }
}
