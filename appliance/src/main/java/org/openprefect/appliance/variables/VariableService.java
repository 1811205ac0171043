package org.openprefect.appliance.variables;

import com.fasterxml.jackson.databind.JsonNode;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.db.Database;
import org.openprefect.appliance.filters.Listings;
import org.openprefect.appliance.http.ApiException;
import org.openprefect.appliance.http.InvalidRequestException;
import org.openprefect.appliance.http.NameRule;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Variables: named JSON values with tags, as upstream keeps them. */
public final class VariableService {
    /** Upstream's {@code MAX_VARIABLE_VALUE_LENGTH}: the compact JSON of a value, in bytes. */
    static final int MAX_VALUE_LENGTH = 5000;
    private static final String NOT_FOUND = "Variable not found.";

    private final Database db;
    private final VariableRepository variables;
    private final Listings listings;

    public VariableService(Database db, int defaultLimit) {
        this.db = db;
        this.variables = new VariableRepository(db.dialect());
        this.listings = new Listings(db, variables, "NAME_ASC", defaultLimit);
    }

    /** {@code POST /variables/}: a body validated against {@code VariableCreate}; 409 when the name is taken. */
    public Variable create(JsonNode body) {
        String name = body.get("name").asText();
        checkName(body, name);
        JsonNode value = body.get("value");
        checkValue(body, value);
        List<String> tags = Json.texts(body.get("tags"));
        return db.write(c -> {
            UUID id = UUID.randomUUID();
            if (!variables.insert(c, id, name, value, tags)) {
                throw ApiException.detail(409, "A variable with the name '" + name + "' already exists.");
            }
            return variables.byId(c, id);
        });
    }

    public Variable read(UUID id) {
        return ApiException.found(db.read(c -> variables.byId(c, id)), NOT_FOUND);
    }

    /** A variable's value by name, for the templates and forms that refer to workspace variables. */
    public Optional<JsonNode> valueOf(String name) {
        return Optional.ofNullable(db.read(c -> variables.byName(c, name))).map(Variable::value);
    }

    public Variable readByName(String name) {
        return ApiException.found(db.read(c -> variables.byName(c, name)), NOT_FOUND);
    }

    /** {@code PATCH /variables/{id}} or {@code /variables/name/{name}}: only the fields sent change; a null name is no change. */
    public void update(VariableRepository.Key key, JsonNode body) {
        Map<String, Object> columns = new LinkedHashMap<>();
        if (body.hasNonNull("name")) {
            checkName(body, body.get("name").asText());
            columns.put("name", body.get("name").asText());
        }
        if (body.has("value")) {
            checkValue(body, body.get("value"));
            columns.put("value", body.get("value"));
        }
        if (body.hasNonNull("tags")) {
            columns.put("tags", body.get("tags"));
        }
        boolean found = db.write(c -> columns.isEmpty() ? variables.exists(c, key) : variables.update(c, key, columns));
        if (!found) {
            throw ApiException.notFound(NOT_FOUND);
        }
    }

    public void delete(VariableRepository.Key key) {
        if (!db.write(c -> variables.delete(c, key))) {
            throw ApiException.notFound(NOT_FOUND);
        }
    }

    /** {@code /filter} and {@code /count}. */
    public Listings listings() {
        return listings;
    }

    private static void checkName(JsonNode body, String name) {
        NameRule.DASHES_OR_UNDERSCORES.check(body, List.of("body", "name"), "Variable name", name);
    }

    private static void checkValue(JsonNode body, JsonNode value) {
        if (value != null && !value.isNull() && value.toString().getBytes(StandardCharsets.UTF_8).length > MAX_VALUE_LENGTH) {
            throw InvalidRequestException.valueError(body, List.of("body", "value"),
                    "Variable value must be less than " + MAX_VALUE_LENGTH + " characters", value);
        }
    }
}
