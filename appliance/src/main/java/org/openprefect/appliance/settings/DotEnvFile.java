package org.openprefect.appliance.settings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code .env} file of the working directory, read with python-dotenv's common rules. */
public final class DotEnvFile {
    private DotEnvFile() {
    }

    public static Map<String, String> read(Path file) {
        Map<String, String> values = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return values;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String s = line.strip();
                if (s.isEmpty() || s.startsWith("#")) {
                    continue;
                }
                if (s.startsWith("export ")) {
                    s = s.substring("export ".length()).strip();
                }
                int eq = s.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                values.put(s.substring(0, eq).strip(), unquote(s.substring(eq + 1).strip()));
            }
        } catch (IOException e) {
            throw new SettingsException("Cannot read " + file + ": " + e.getMessage());
        }
        return values;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            String inner = v.substring(1, v.length() - 1);
            return v.startsWith("\"") ? inner.replace("\\n", "\n").replace("\\\"", "\"") : inner;
        }
        int comment = v.indexOf(" #");
        return comment >= 0 ? v.substring(0, comment).strip() : v;
    }
}
