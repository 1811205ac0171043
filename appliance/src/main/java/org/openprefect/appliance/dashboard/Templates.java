package org.openprefect.appliance.dashboard;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dashboard's Mustache templates ({@code /dashboard/templates/*.mustache} in the jar), compiled
 * once. Every {@code {{value}}} is HTML-escaped; the only unescaped insertions are HTML this code
 * produced itself (a page's body into the layout, rendered Markdown, the SVG chart).
 */
final class Templates {
    /** A link of the navigation bar. */
    record NavLink(String href, String label, boolean current) {
    }

    /** What the layout around every page needs. */
    record Layout(String title, String base, String css, String js, String htmx, String icon, List<NavLink> nav, String body, String footer) {
    }

    private static final List<String[]> NAV = List.of(new String[] {"/dashboard", "Dashboard"}, new String[] {"/runs", "Runs"},
            new String[] {"/flows", "Flows"}, new String[] {"/deployments", "Deployments"}, new String[] {"/work-pools", "Work pools"},
            new String[] {"/concurrency-limits", "Concurrency"}, new String[] {"/blocks", "Blocks"}, new String[] {"/variables", "Variables"},
            new String[] {"/artifacts", "Artifacts"}, new String[] {"/events", "Events"}, new String[] {"/settings", "System"});

    private final Mustache.Compiler compiler = Mustache.compiler().nullValue("").emptyStringIsFalse(true).escapeHTML(true)
            .withLoader(name -> reader(name));
    private final Map<String, Template> compiled = new ConcurrentHashMap<>();
    private final Assets assets;
    private final String base;
    private final String footer;

    Templates(Assets assets, String base, String footer) {
        this.assets = assets;
        this.base = base;
        this.footer = footer;
    }

    /** A whole page: the named template rendered with its model, inside the layout; {@code section} marks the nav link. */
    String page(String title, String section, String template, Object model) {
        List<NavLink> nav = NAV.stream().map(n -> new NavLink(base + n[0], n[1], n[0].equals(section))).toList();
        return render("layout", new Layout(title, base, assets.url(Assets.CSS), assets.url(Assets.JS), assets.url(Assets.HTMX), assets.url(Assets.ICON), nav,
                render(template, model), footer));
    }

    /** One template alone: a fragment that htmx swaps into a page. */
    String render(String template, Object model) {
        return compiled.computeIfAbsent(template, name -> compiler.compile(reader(name))).execute(model);
    }

    private static Reader reader(String name) {
        InputStream in = Templates.class.getResourceAsStream("/dashboard/templates/" + name + ".mustache");
        return new InputStreamReader(Objects.requireNonNull(in, "template " + name + " missing from the jar"), StandardCharsets.UTF_8);
    }
}
