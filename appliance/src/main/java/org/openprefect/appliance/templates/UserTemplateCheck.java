package org.openprefect.appliance.templates;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Upstream's {@code validate_user_template} for automation notification templates: the Jinja2
 * syntax of the template's structure (delimiters, comments, raw sections, brackets, block tags and
 * their end tags) with Jinja2's messages and line numbers, then Prefect's sandbox limits on for
 * loops. Expressions inside a tag are checked for balanced brackets and presence, not parsed in
 * full; templates are only rendered by upstream's automations service, which we do not run.
 */
public final class UserTemplateCheck {
    static final int MAX_LOOP_COUNT = 10;
    static final int MAX_NESTED_LOOP_DEPTH = 2;

    /** Where the template fails: a line (0 for the sandbox limits, as upstream) and Jinja's message. */
    public record Failure(int line, String message) {
    }

    /** The tags that end (or continue, as else and elif) each block tag's body, in Jinja's order. */
    private static final Map<String, List<String>> BODY_ENDS = Map.of(
            "for", List.of("endfor", "else"),
            "if", List.of("elif", "else", "endif"),
            "block", List.of("endblock"),
            "macro", List.of("endmacro"),
            "call", List.of("endcall"),
            "filter", List.of("endfilter"),
            "with", List.of("endwith"),
            "autoescape", List.of("endautoescape"),
            "set", List.of("endset"));
    private static final Set<String> SINGLE_TAGS = Set.of("extends", "include", "import", "from", "print");
    /** Tags whose first argument is a name, and words an expression must follow. */
    private static final Set<String> NAME_AFTER = Set.of("block", "macro", "filter");
    private static final Set<String> EXPRESSION_AFTER = Set.of("in", "and", "or", "not", "is", "if", "else");

    /** One open block: its tag, the end tags it waits for, and (for loops) its depth. */
    private record Open(String tag, List<String> ends, int loopDepth) {
    }

    private static final class Failed extends RuntimeException {
        private final transient Failure failure;

        Failed(int line, String message) {
            super(message, null, false, false);
            this.failure = new Failure(line, message);
        }
    }

    private final String source;
    private final Deque<Open> open = new ArrayDeque<>();
    private int position;
    private int tagStart;
    private int line = 1;
    /** Where Jinja's last token started: its end-of-template errors carry that line. */
    private int lastTokenLine = 1;
    private int loops;
    private int deepestLoop;

    private UserTemplateCheck(String template) {
        // Jinja drops one trailing newline before lexing (keep_trailing_newline is off).
        this.source = template.endsWith("\n") ? template.substring(0, template.length() - 1) : template;
    }

    public static Optional<Failure> check(String template) {
        UserTemplateCheck check = new UserTemplateCheck(template);
        try {
            check.parse();
        } catch (Failed e) {
            return Optional.of(e.failure);
        }
        if (check.loops > MAX_LOOP_COUNT) {
            return Optional.of(new Failure(0, "Contains " + check.loops + " for loops. Templates can contain no more than "
                    + MAX_LOOP_COUNT + " for loops."));
        }
        if (check.deepestLoop > MAX_NESTED_LOOP_DEPTH) {
            return Optional.of(new Failure(0, "Contains nested for loops at a depth of " + check.deepestLoop
                    + ". Templates can nest for loops no more than " + MAX_NESTED_LOOP_DEPTH + " loops deep."));
        }
        return Optional.empty();
    }

    private void parse() {
        while (true) {
            int next = nextDelimiter();
            if (next != position && position < source.length()) {
                lastTokenLine = line;
            }
            if (next < 0) {
                break;
            }
            advanceTo(next);
            if (source.charAt(next + 1) != '#') {
                lastTokenLine = line;
            }
            char kind = source.charAt(position + 1);
            position += 2;
            if (kind == '#') {
                int end = source.indexOf("#}", position);
                if (end < 0) {
                    throw new Failed(line, "Missing end of comment tag");
                }
                advanceTo(end + 2);
            } else if (kind == '{') {
                String expression = tagContent("}}");
                if (expression == null) {
                    throw endInsideTag(contentBeforeEnd(), null, "end of print statement");
                }
                if (expression.isBlank()) {
                    throw new Failed(line, "Expected an expression, got 'end of print statement'");
                }
            } else {
                statement();
            }
        }
        advanceTo(source.length());
        if (!open.isEmpty()) {
            throw unknownTagOrEnd(null, lastTokenLine);
        }
    }

    private void statement() {
        int tagLine = line;
        String content = tagContent("%}");
        if (content == null) {
            String partial = contentBeforeEnd();
            String tag = tagName(partial);
            if (!tag.isEmpty() && !tag.equals("raw") && !knownHere(tag)) {
                throw unknownTagOrEnd(tag, tagLine);
            }
            throw endInsideTag(partial, tag, "end of statement block");
        }
        content = content.strip();
        if (content.isEmpty()) {
            throw new Failed(tagLine, "Expected an expression, got 'end of statement block'");
        }
        String name = tagName(content);
        if (name.equals("raw")) {
            skipRaw();
            return;
        }
        Open innermost = open.peek();
        if (innermost != null && innermost.ends().contains(name)) {
            open.pop();
            if (name.equals("elif")) {
                open.push(innermost);
            } else if (name.equals("else")) {
                open.push(new Open(innermost.tag(), List.of("end" + innermost.tag()), innermost.loopDepth()));
            }
            return;
        }
        if (name.equals("set") && hasAssignment(content)) {
            return;
        }
        if (BODY_ENDS.containsKey(name)) {
            int depth = openLoops() + (name.equals("for") ? 1 : 0);
            if (name.equals("for")) {
                loops++;
                deepestLoop = Math.max(deepestLoop, depth);
            }
            open.push(new Open(name, BODY_ENDS.get(name), depth));
            return;
        }
        if (!SINGLE_TAGS.contains(name)) {
            throw unknownTagOrEnd(name, tagLine);
        }
    }

    private int openLoops() {
        return open.isEmpty() ? 0 : open.peek().loopDepth();
    }

    /** Jinja's {@code _fail_ut_eof}: an unknown tag (name) or the end of the template (null) inside open blocks. */
    private static String tagName(String content) {
        return content.split("[^A-Za-z0-9_]", 2)[0];
    }

    /** A tag Jinja knows at this point: a block or single tag, or one that ends or continues the innermost block. */
    private boolean knownHere(String name) {
        return BODY_ENDS.containsKey(name) || SINGLE_TAGS.contains(name) || !open.isEmpty() && open.peek().ends().contains(name);
    }

    private Failed unknownTagOrEnd(String name, int atLine) {
        List<String> message = new ArrayList<>();
        message.add(name == null ? "Unexpected end of template." : "Encountered unknown tag '" + name + "'.");
        if (!open.isEmpty()) {
            String looking = String.join(" or ", open.peek().ends().stream().map(e -> "'" + e + "'").toList());
            boolean expectedSomewhere = name != null && open.stream().anyMatch(o -> o.ends().contains(name));
            message.add(expectedSomewhere
                    ? "You probably made a nesting mistake. Jinja is expecting this tag, but currently looking for " + looking + "."
                    : "Jinja was looking for the following tags: " + looking + ".");
            message.add("The innermost block that needs to be closed is '" + open.peek().tag() + "'.");
        }
        return new Failed(atLine, String.join(" ", message));
    }

    /** The text up to the closing delimiter outside strings and brackets, as Jinja's lexer balances them; null at the end. */
    private String tagContent(String close) {
        tagStart = position;
        Deque<Character> brackets = new ArrayDeque<>();
        while (position < source.length()) {
            char c = source.charAt(position);
            if (brackets.isEmpty() && (source.startsWith(close, position) || c == '-' && source.startsWith(close, position + 1))) {
                String content = source.substring(tagStart, position);
                lastTokenLine = line;
                advanceTo(position + (c == '-' ? 1 : 0) + close.length());
                return content.startsWith("-") || content.startsWith("+") ? content.substring(1) : content;
            }
            if (c == '\'' || c == '"') {
                lastTokenLine = line;
                int end = stringEnd(position);
                if (end < 0) {
                    throw new Failed(line, "unexpected char " + quote(c) + " at " + position);
                }
                advanceTo(end + 1);
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                brackets.push(c == '(' ? ')' : c == '[' ? ']' : '}');
            } else if (c == ')' || c == ']' || c == '}') {
                if (brackets.isEmpty()) {
                    throw new Failed(line, "unexpected '" + c + "'");
                }
                char expected = brackets.pop();
                if (expected != c) {
                    throw new Failed(line, "unexpected '" + c + "', expected '" + expected + "'");
                }
            }
            if (!Character.isWhitespace(c)) {
                lastTokenLine = line;
            }
            advanceTo(position + 1);
        }
        return null;
    }

    private String contentBeforeEnd() {
        String content = source.substring(tagStart).strip();
        return content.startsWith("-") || content.startsWith("+") ? content.substring(1).strip() : content;
    }

    /**
     * What Jinja's parser says when the template ends inside a tag: where an expression or a name
     * must follow (after a keyword, an operator, a filter bar), that it is missing; else that the
     * tag's end is.
     */
    private Failed endInsideTag(String content, String tag, String closeName) {
        String rest = tag == null ? content : content.substring(tag.length()).strip();
        String lastWord = rest.isEmpty() ? "" : rest.substring(rest.lastIndexOf(' ') + 1);
        String message;
        boolean closesBlock = tag != null && !open.isEmpty() && open.peek().ends().contains(tag) && !tag.equals("elif");
        if (rest.endsWith(".")) {
            message = "expected name or number";
        } else if (tag != null && rest.isEmpty() && NAME_AFTER.contains(tag) || rest.endsWith("|")) {
            message = "unexpected end of template, expected 'name'.";
        } else if (closesBlock) {
            message = "unexpected end of template, expected '" + closeName + "'.";
        } else if (rest.isEmpty() || EXPRESSION_AFTER.contains(lastWord) || "=+-*/%~([{,<>!".indexOf(rest.charAt(rest.length() - 1)) >= 0) {
            message = "unexpected 'end of template'";
        } else if ("for".equals(tag) && !rest.matches(".*\\sin\\s.*")) {
            message = "unexpected end of template, expected 'in'.";
        } else {
            message = "unexpected end of template, expected '" + closeName + "'.";
        }
        return new Failed(lastTokenLine, message);
    }

    private int stringEnd(int openQuote) {
        char quote = source.charAt(openQuote);
        for (int i = openQuote + 1; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == quote) {
                return i;
            }
        }
        return -1;
    }

    private static String quote(char c) {
        return c == '\'' ? "\"'\"" : "'" + c + "'";
    }

    private static boolean hasAssignment(String content) {
        int depth = 0;
        for (int i = 0; i < content.length(); i++) {
            char c = content.charAt(i);
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (c == '=' && depth == 0 && (i + 1 >= content.length() || content.charAt(i + 1) != '=')
                    && (i == 0 || "!<>=".indexOf(content.charAt(i - 1)) < 0)) {
                return true;
            }
        }
        return false;
    }

    private void skipRaw() {
        int from = position;
        while (true) {
            int tag = source.indexOf("{%", from);
            if (tag < 0) {
                throw new Failed(line, "Missing end of raw directive");
            }
            String rest = source.substring(tag + 2).stripLeading();
            rest = rest.startsWith("-") ? rest.substring(1).stripLeading() : rest;
            if (rest.startsWith("endraw")) {
                advanceTo(tag + 2);
                if (tagContent("%}") == null) {
                    throw new Failed(lastTokenLine, "unexpected end of template, expected 'end of statement block'.");
                }
                return;
            }
            from = tag + 2;
        }
    }

    private int nextDelimiter() {
        for (int i = source.indexOf('{', position); i >= 0 && i + 1 < source.length(); i = source.indexOf('{', i + 1)) {
            char next = source.charAt(i + 1);
            if (next == '{' || next == '%' || next == '#') {
                return i;
            }
        }
        return -1;
    }

    private void advanceTo(int target) {
        for (int i = position; i < target && i < source.length(); i++) {
            if (source.charAt(i) == '\n') {
                line++;
            }
        }
        position = target;
    }
}
