package org.openprefect.it.hardening;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openprefect.it.support.Http;
import org.openprefect.it.support.OpenApiContract;
import org.openprefect.it.support.Prefect;
import org.openprefect.it.support.RunningServer;
import org.openprefect.it.support.TestDatabase;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every operation of upstream's OpenAPI document gets the bad requests {@link RequestMutations}
 * generates (a few thousand in all): no answer is a 5xx, and no refused request (4xx) leaves a
 * row behind in any table. The server runs without its background services so that only the
 * requests change the tables; events are written asynchronously and are not counted.
 */
class ApiFuzzTest {
    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void badRequestsGet4xxAndStoreNothing(String database) throws Exception {
        Prefect prefect = new Prefect(Files.createTempDirectory("openprefect-fuzz-"));
        try (TestDatabase testDatabase = TestDatabase.create(database, prefect);
             RunningServer server = RunningServer.start(prefect, "--no-services");
             Connection db = testDatabase.connect()) {
            List<String> tables = tables(db);
            assertTrue(tables.contains("flow_run"), "the schema is there: " + tables);
            List<RequestMutations.Request> requests = new RequestMutations(OpenApiContract.document()).all();
            assertTrue(requests.size() > 1500, "generated " + requests.size());
            List<String> failures = new ArrayList<>();
            int refused = 0;
            for (RequestMutations.Request request : requests) {
                Map<String, Long> before = rowCounts(db, tables);
                HttpResponse<String> response = send(server, request);
                String what = request.method() + " " + request.path() + " (" + request.label() + ") -> " + response.statusCode();
                if (response.statusCode() >= 500) {
                    failures.add(what + ": " + abbreviate(response.body()));
                } else if (response.statusCode() >= 400) {
                    refused++;
                    Map<String, Long> after = rowCounts(db, tables);
                    if (!after.equals(before)) {
                        failures.add(what + " changed rows: " + changed(before, after));
                    }
                }
            }
            assertEquals(List.of(), failures.subList(0, Math.min(20, failures.size())), failures.size() + " of " + requests.size() + " failed");
            assertTrue(refused > requests.size() / 2, "most generated requests are refused: " + refused + " of " + requests.size());
        }
    }

    private static HttpResponse<String> send(RunningServer server, RequestMutations.Request request) {
        String url = server.base() + request.path();
        return request.contentType() == null
                ? Http.method(request.method(), url, request.body())
                : Http.method(request.method(), url, request.body(), "Content-Type", request.contentType());
    }

    private static List<String> tables(Connection db) throws SQLException {
        List<String> tables = new ArrayList<>();
        String schema = db.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres") ? "public" : null;
        try (ResultSet rs = db.getMetaData().getTables(null, schema, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String name = rs.getString("TABLE_NAME").toLowerCase();
                // Events are persisted after the request, by a background writer; the run rollup is folded in the
                // background from earlier, accepted requests; Liquibase's own tables are not ours.
                if (!name.startsWith("event") && !name.startsWith("run_rollup") && !name.startsWith("databasechangelog") && !name.startsWith("sqlite_")) {
                    tables.add(name);
                }
            }
        }
        return tables;
    }

    private static Map<String, Long> rowCounts(Connection db, List<String> tables) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < tables.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(SELECT count(*) FROM \"").append(tables.get(i)).append("\")");
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql.toString())) {
            rs.next();
            for (int i = 0; i < tables.size(); i++) {
                counts.put(tables.get(i), rs.getLong(i + 1));
            }
        }
        return counts;
    }

    private static String changed(Map<String, Long> before, Map<String, Long> after) {
        StringBuilder diff = new StringBuilder();
        before.forEach((table, count) -> {
            if (!count.equals(after.get(table))) {
                diff.append(table).append(' ').append(count).append("->").append(after.get(table)).append(' ');
            }
        });
        return diff.toString().strip();
    }

    private static String abbreviate(String body) {
        return body == null || body.length() <= 300 ? body : body.substring(0, 300) + "...";
    }
}
