package org.openprefect.appliance.dashboard;

import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * Markdown artifacts as HTML a browser can show without running anything from them: raw HTML in
 * the source is escaped, and links or images with a scheme other than http(s), mailto or relative
 * ({@code javascript:} and the like) are dropped.
 */
final class SafeMarkdown {
    private static final Parser PARSER = Parser.builder().build();
    private static final HtmlRenderer RENDERER = HtmlRenderer.builder().escapeHtml(true).sanitizeUrls(true).build();

    private SafeMarkdown() {
    }

    static String html(String markdown) {
        return RENDERER.render(PARSER.parse(markdown));
    }
}
