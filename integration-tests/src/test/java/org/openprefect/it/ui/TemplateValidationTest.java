package org.openprefect.it.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openprefect.it.support.Api;
import org.openprefect.it.support.Prefect;
import org.openprefect.it.support.PythonClient;
import org.openprefect.it.support.RunningServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code POST /templates/validate}, the automation form's check of a notification template: our
 * answers against Jinja2's own parser (with Prefect's loop limits) on templates a user could type,
 * valid and broken, and the response shapes upstream sends.
 */
class TemplateValidationTest {
    private static final List<String> TEMPLATES = List.of(
            "",
            "Flow run {{ flow_run.name }} entered {{ flow_run.state.name }}",
            "{% if flow_run.state.type == 'FAILED' %}failed{% elif x %}other{% else %}ok{% endif %}",
            "{% for t in flow_run.tags %}{{ t | upper }}{% else %}none{% endfor %}",
            "{# a comment {{ not parsed }} #}{% raw %}{{ kept }} {% for %}{% endraw %}",
            "{% set x = {'a': [1, 2]} %}{{ x['a'][0] }}{%- if x -%}y{%- endif %}",
            "{% set block_var %}text{% endset %}{{ block_var }}",
            "{{ '}}' ~ \"%}\" }} {{ {'k': 'v'}['k'] }}",
            "line one\n{{ flow_run.name\n",
            "{% for x in y %}\nno end\n",
            "{% if a %}{% for b in c %}{% endif %}",
            "{% endif %}",
            "{% frobnicate %}",
            "{% if a %}\n{% frobnicate %}{% endif %}",
            "{{ }}",
            "{{ (1 + 2] }}",
            "{{ 1 + 2) }}",
            "{# never closed",
            "{% raw %}never closed",
            "{{ 'unterminated }}",
            "{% for a in b %}{% for c in d %}{% for e in f %}{% endfor %}{% endfor %}{% endfor %}",
            "{% for a in b %}{% else %}{% for c in d %}{% for e in f %}{% endfor %}{% endfor %}{% endfor %}",
            "{% for a in b %}{% endfor %}".repeat(11),
            "{% for a in b %}{% endfor %}".repeat(10),
            "{% for a in b %}{% if x %}{% else %}{% endfor %}",
            "{% block b %}{% endblock %}{% macro m() %}{% endmacro %}{% with a = 1 %}{% endwith %}",
            "{% filter upper %}x{% endfilter %}{% autoescape true %}y{% endautoescape %}",
            "{% for a in b %}{% elif c %}{% endfor %}",
            "trailing newline {{ x\n",
            "a\nb\n{% if x %}\nc\n{% endfor %}\nd",
            "{% if x %}{% else %}{% elif y %}{% endif %}",
            "{%- if x -%}\n{%+ endif %}",
            "{{ x }}\n{# c\n #}\n{% for",
            "{{ x }}\n{# c\n #}\n",
            "{% for", "{% if", "{% set", "{% block", "{% macro", "{% with", "{% filter", "{{", "{{ ", "{% for x", "{% for x in",
            "{% for x in y", "{% if x ==", "{{ x |", "{{ x", "{% include", "{% endfor", "{% else", "{% if x %}{% else", "{% if x %}{% endif",
            "{{ a.", "{% if a and", "{% for x in y %}\n{% if", "{% bogus x");

    private static Path home;
    private static RunningServer server;

    @BeforeAll
    static void start() throws Exception {
        home = Files.createTempDirectory("openprefect-templates-");
        server = RunningServer.start(new Prefect(home));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void answersAsJinja2AndPrefectsLoopLimitsDo() throws Exception {
        PythonClient python = PythonClient.withJinja2();
        Path corpus = home.resolve("templates.json");
        Files.writeString(corpus, Api.json(TEMPLATES));
        JsonNode expected = python.runScript("jinja_template_check.py", corpus.toString()).get("results");
        Api api = new Api(server.api(""));
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < TEMPLATES.size(); i++) {
            String template = TEMPLATES.get(i);
            Api.Reply reply = api.post("/templates/validate", Api.json(template));
            JsonNode jinja = expected.get(i);
            JsonNode ours = reply.status() == 204 ? NullNode.getInstance() : reply.body().get("error");
            boolean same = jinja.isNull() ? reply.status() == 204
                    : reply.status() == 422 && jinja.get("line").asInt() == ours.get("line").asInt()
                    && jinja.get("message").asText().equals(ours.get("message").asText()) && template.equals(ours.get("source").asText());
            if (!same) {
                mismatches.add(Api.json(template) + ": Jinja2 " + jinja + ", ours " + reply.status() + " " + reply.raw());
            }
        }
        assertEquals(List.of(), mismatches);
    }

    @Test
    void answersWithUpstreamsShapes() {
        Api api = new Api(server.api(""));
        Api.Reply valid = api.post("/templates/validate", "\"{{ flow_run.name }}\"");
        assertEquals(204, valid.status());
        assertEquals("", valid.raw());
        assertEquals(204, api.post("/templates/validate", "").status(), "no body is the default empty template");
        JsonNode broken = api.post("/templates/validate", "\"{% if x %}\"", 422);
        assertEquals(Map.of("line", 1, "message", "Unexpected end of template. Jinja was looking for the following tags: 'elif' or 'else' "
                + "or 'endif'. The innermost block that needs to be closed is 'if'.", "source", "{% if x %}"),
                Api.JSON.convertValue(broken.get("error"), Map.class));
        assertEquals(422, api.post("/automations/templates/validate", "\"{{\"").status(), "the deprecated path the UI used before");
        JsonNode notAString = api.post("/templates/validate", "42", 422);
        assertEquals("string_type", notAString.at("/exception_detail/0/type").asText());
        assertEquals("[\"body\"]", notAString.at("/exception_detail/0/loc").toString());
    }
}
