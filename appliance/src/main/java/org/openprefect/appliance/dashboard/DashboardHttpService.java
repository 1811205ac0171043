package org.openprefect.appliance.dashboard;

import io.helidon.common.parameters.Parameters;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.openprefect.appliance.common.InvalidInputException;
import org.openprefect.appliance.http.ApiException;
import org.openprefect.appliance.http.Responses;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The appliance's own dashboard, served at {@code PREFECT_SERVER_UI_SERVE_BASE} when no official UI
 * build is configured: server-rendered pages at the official UI's paths (so the links the client
 * prints, {@code /runs/flow-run/<id>}, open here too), htmx fragments for the live parts, and plain
 * form posts for the actions.
 */
public final class DashboardHttpService implements HttpService {
    /** Scripts from this origin only; htmx and the pages use inline styles. */
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            + "frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

    private final String base;
    private final Assets assets;
    private final Templates templates;
    private final HomePage home;
    private final RunsPage runs;
    private final RunPage run;
    private final RunActions runActions;
    private final FlowPages flows;
    private final DeploymentPages deployments;
    private final WorkPoolPages workPools;
    private final ResourcePages resources;
    private final SystemPage system;

    /** {@code serveBase}: {@code PREFECT_SERVER_UI_SERVE_BASE}, "/" by default. */
    public DashboardHttpService(Sources sources, SystemChecks checks, String serveBase, String apiBasePath) {
        this.base = serveBase.endsWith("/") ? serveBase.substring(0, serveBase.length() - 1) : serveBase;
        this.assets = new Assets(base);
        this.templates = new Templates(assets, base, "OpenPrefect " + sources.version().buildVersion() + " · Prefect API "
                + sources.version().prefectVersion() + " · " + sources.database().kind().label());
        RunRows rows = new RunRows(sources.flows(), base);
        this.home = new HomePage(sources, rows, base);
        this.runs = new RunsPage(sources.flowRuns(), rows, base);
        this.run = new RunPage(sources, rows, base);
        this.runActions = new RunActions(sources.flowRuns());
        this.flows = new FlowPages(sources, rows, base);
        this.deployments = new DeploymentPages(sources, rows, base);
        this.workPools = new WorkPoolPages(sources.workPools(), base);
        this.resources = new ResourcePages(sources, base);
        this.system = new SystemPage(sources, checks, base, apiBasePath);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get(base.isEmpty() ? "/" : base, page((req, q) -> templates.page("Dashboard", "/dashboard", "home", home.model(q))));
        if (!base.isEmpty()) {
            rules.get(base + "/", page((req, q) -> templates.page("Dashboard", "/dashboard", "home", home.model(q))));
        }
        rules.get(base + "/dashboard", page((req, q) -> templates.page("Dashboard", "/dashboard", "home", home.model(q))));
        rules.get(base + "/runs", page((req, q) -> templates.page("Flow runs", "/runs", "runs", runs.model(q))));
        rules.get(base + "/runs/table", page((req, q) -> templates.render("runs_table", runs.model(q))));
        rules.get(base + "/runs/flow-run/{id}", page((req, q) -> {
            RunPage.Model model = run.model(id(req), q);
            return templates.page(model.name(), "/runs", "run", model);
        }));
        rules.get(base + "/runs/flow-run/{id}/logs", page((req, q) -> templates.render("run_logs", run.logs(id(req), q))));
        rules.post(base + "/runs/flow-run/{id}/cancel", action(req -> back("/runs/flow-run/" + id(req), runActions.cancel(id(req)))));
        rules.post(base + "/runs/flow-run/{id}/retry", action(req -> back("/runs/flow-run/" + id(req), runActions.retry(id(req)))));
        rules.post(base + "/runs/flow-run/{id}/resume", action(req -> back("/runs/flow-run/" + id(req), runActions.resume(id(req)))));
        rules.get(base + "/flows", page((req, q) -> templates.page("Flows", "/flows", "flows", flows.list(q))));
        rules.get(base + "/flows/flow/{id}", page((req, q) -> {
            FlowPages.FlowModel model = flows.flow(id(req));
            return templates.page(model.name(), "/flows", "flow", model);
        }));
        rules.get(base + "/deployments", page((req, q) -> templates.page("Deployments", "/deployments", "deployments", deployments.list(q))));
        rules.get(base + "/deployments/deployment/{id}", page((req, q) -> {
            DeploymentPages.Model model = deployments.deployment(id(req), q);
            return templates.page(model.name(), "/deployments", "deployment", model);
        }));
        rules.post(base + "/deployments/deployment/{id}/run", action(req -> {
            String parameters = req.content().as(Parameters.class).first("parameters").orElse("{}");
            return base + "/runs/flow-run/" + deployments.runNow(id(req), parameters);
        }));
        rules.post(base + "/deployments/deployment/{id}/pause", action(req -> {
            deployments.pause(id(req));
            return back("/deployments/deployment/" + id(req), "Schedules paused.");
        }));
        rules.post(base + "/deployments/deployment/{id}/resume", action(req -> {
            deployments.resume(id(req));
            return back("/deployments/deployment/" + id(req), "Schedules resumed.");
        }));
        rules.get(base + "/work-pools", page((req, q) -> templates.page("Work pools", "/work-pools", "work_pools",
                Map.of("pools", workPools.list()))));
        rules.get(base + "/work-pools/work-pool/{name}", page((req, q) -> {
            WorkPoolPages.PoolModel model = workPools.pool(req.path().pathParameters().get("name"));
            return templates.page(model.name(), "/work-pools", "work_pool", model);
        }));
        rules.get(base + "/concurrency-limits", page((req, q) -> templates.page("Concurrency limits", "/concurrency-limits", "concurrency",
                resources.concurrency())));
        rules.get(base + "/blocks", page((req, q) -> templates.page("Blocks", "/blocks", "blocks", Map.of("blocks", resources.blocks()))));
        rules.get(base + "/variables", page((req, q) -> templates.page("Variables", "/variables", "variables",
                Map.of("variables", resources.variables()))));
        rules.get(base + "/artifacts", page((req, q) -> templates.page("Artifacts", "/artifacts", "artifacts",
                Map.of("artifacts", resources.artifacts()))));
        rules.get(base + "/artifacts/artifact/{id}", page((req, q) -> {
            ResourcePages.ArtifactModel model = resources.artifact(id(req));
            return templates.page(model.title(), "/artifacts", "artifact", model);
        }));
        rules.get(base + "/events", page((req, q) -> templates.page("Events", "/events", "events", resources.events(q))));
        rules.get(base + "/settings", page((req, q) -> templates.page("System", "/settings", "system", system.model(q))));
        rules.get(base + "/static/{hash}/{file}", assets::serve);
        // Browsers ask for it on their own (a fragment opened alone has no icon link); 302, as the icon's URL changes with its content.
        rules.get(base + "/favicon.ico", (req, res) -> res.status(Status.FOUND_302)
                .header(HeaderNames.LOCATION, assets.url(Assets.ICON)).send());
    }

    /** How a page is made from its request; the service turns errors into pages. */
    @FunctionalInterface
    private interface PageMaker {
        String make(ServerRequest req, Query query);
    }

    /** An action: does its work and answers where to go next. */
    @FunctionalInterface
    private interface ActionTaker {
        String take(ServerRequest req);
    }

    private Handler page(PageMaker maker) {
        return (req, res) -> {
            String html;
            try {
                html = maker.make(req, Query.of(req.query().toMap()));
            } catch (ApiException e) {
                message(req, res, e.status() == 404 ? 404 : e.status(), e.status() == 404 ? "Not found" : "Cannot show this page", e.getMessage());
                return;
            } catch (InvalidInputException e) {
                message(req, res, 422, "Cannot show this page", e.getMessage());
                return;
            }
            headers(res);
            res.header(HeaderNames.CACHE_CONTROL, "no-cache");
            Responses.html(req, res, html);
        };
    }

    private Handler action(ActionTaker taker) {
        return (req, res) -> {
            if (crossSite(req)) {
                message(req, res, 403, "Refused", "This action was posted from another site.");
                return;
            }
            String next;
            try {
                next = taker.take(req);
            } catch (ApiException e) {
                message(req, res, e.status(), e.status() == 404 ? "Not found" : "The action was refused", e.getMessage());
                return;
            } catch (InvalidInputException e) {
                message(req, res, 422, "The action was refused", e.getMessage());
                return;
            }
            res.status(Status.SEE_OTHER_303).header(HeaderNames.LOCATION, next).send();
        };
    }

    /** The page to go back to after an action, with what happened as its notice. */
    private String back(String path, String result) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        query.put("result", List.of(result));
        return base + path + Query.encode(query);
    }

    private void message(ServerRequest req, ServerResponse res, int status, String heading, String message) {
        headers(res);
        String html = templates.page(heading, "", "message", Map.of("heading", heading, "message", message == null ? heading : message,
                "kind", "error", "back", base.isEmpty() ? "/" : base));
        Responses.send(req, res, status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    private static void headers(ServerResponse res) {
        res.header(HeaderNames.create("Content-Security-Policy"), CSP);
        res.header(HeaderNames.create("X-Content-Type-Options"), "nosniff");
        res.header(HeaderNames.create("Referrer-Policy"), "same-origin");
    }

    /**
     * Whether a browser says the form came from another site: the dashboard's posts change runs and
     * deployments, and a browser sends cached Basic credentials along, so another site must not post them.
     */
    static boolean crossSite(ServerRequest req) {
        String fetchSite = req.headers().first(HeaderNames.create("Sec-Fetch-Site")).orElse("");
        if (fetchSite.equals("cross-site") || fetchSite.equals("same-site")) {
            return true;
        }
        String origin = req.headers().first(HeaderNames.ORIGIN).orElse("");
        if (origin.isEmpty() || origin.equals("null")) {
            return origin.equals("null");
        }
        String host = req.headers().first(HeaderNames.HOST).orElse("");
        String forwardedHost = req.headers().first(HeaderNames.create("X-Forwarded-Host")).orElse(host);
        try {
            String authority = URI.create(origin).getRawAuthority();
            return !host.equalsIgnoreCase(authority) && !forwardedHost.equalsIgnoreCase(authority);
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    private static UUID id(ServerRequest req) {
        try {
            return UUID.fromString(req.path().pathParameters().get("id"));
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("No such resource: " + req.path().pathParameters().get("id"));
        }
    }
}
