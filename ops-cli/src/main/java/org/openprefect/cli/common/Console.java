package org.openprefect.cli.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Locale;

/** Where commands write: results to stdout, errors and warnings to stderr, and yes/no prompts. */
public final class Console {
    private static final ObjectMapper JSON = new ObjectMapper();


    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean interactive;

    public Console(PrintWriter out, PrintWriter err, boolean interactive) {
        this.out = out;
        this.err = err;
        this.interactive = interactive;
    }

    public void println(String line) {
        out.println(line);
        out.flush();
    }

    public void warn(String line) {
        err.println(line);
        err.flush();
    }

    public void json(Object value) {
        try {
            println(JSON.writer(new PythonStylePrinter()).writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean interactive() {
        return interactive;
    }

    /** Asks a yes/no question on the terminal; without one, the default answer is taken. */
    public boolean confirm(String question, boolean defaultAnswer) {
        java.io.Console terminal = System.console();
        if (!interactive || terminal == null) {
            return defaultAnswer;
        }
        String answer = terminal.readLine("%s [%s]: ", question, defaultAnswer ? "Y/n" : "y/N");
        if (answer == null || answer.isBlank()) {
            return defaultAnswer;
        }
        return answer.strip().toLowerCase(Locale.ROOT).startsWith("y");
    }
}
