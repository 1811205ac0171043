package org.openprefect.cli.common;

import picocli.CommandLine;

import java.util.Locale;

/** The values of {@code -o/--output}; only json is defined, like upstream. */
public enum OutputFormat {
    JSON;

    /** Converts {@code -o} values case-insensitively and names the allowed ones on error. */
    public static final class Converter implements CommandLine.ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            if ("json".equals(value.toLowerCase(Locale.ROOT))) {
                return JSON;
            }
            throw new CommandLine.TypeConversionException("Only 'json' output format is supported.");
        }
    }
}
