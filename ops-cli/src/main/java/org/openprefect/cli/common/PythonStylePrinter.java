package org.openprefect.cli.common;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;

import java.io.IOException;

/** Pretty JSON laid out as Python's {@code json.dumps(indent=2)}: {@code "key": value}, {@code []}, {@code {}}. */
final class PythonStylePrinter extends DefaultPrettyPrinter {
    PythonStylePrinter() {
        super(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER));
        indentArraysWith(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);
    }

    private PythonStylePrinter(PythonStylePrinter base) {
        super(base);
    }

    @Override
    public DefaultPrettyPrinter createInstance() {
        return new PythonStylePrinter(this);
    }

    @Override
    public void writeEndArray(JsonGenerator g, int nrOfValues) throws IOException {
        if (nrOfValues == 0) {
            _nesting--;
            g.writeRaw(']');
        } else {
            super.writeEndArray(g, nrOfValues);
        }
    }

    @Override
    public void writeEndObject(JsonGenerator g, int nrOfEntries) throws IOException {
        if (nrOfEntries == 0) {
            _nesting--;
            g.writeRaw('}');
        } else {
            super.writeEndObject(g, nrOfEntries);
        }
    }
}
