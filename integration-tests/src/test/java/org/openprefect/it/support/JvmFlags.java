package org.openprefect.it.support;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The flags a JVM printed with {@code -XX:+PrintFlagsFinal}, by name: what options it really started with. */
public final class JvmFlags {
    private static final Pattern FLAG = Pattern.compile("(?m)^\\s*\\S+\\s+(\\w+)\\s+:?=\\s+(\\S*)\\s+\\{");

    private JvmFlags() {
    }

    public static Map<String, String> of(String printFlagsFinalOutput) {
        Map<String, String> flags = new HashMap<>();
        Matcher m = FLAG.matcher(printFlagsFinalOutput);
        while (m.find()) {
            flags.put(m.group(1), m.group(2));
        }
        if (flags.isEmpty()) {
            throw new AssertionError("no -XX:+PrintFlagsFinal output in: " + printFlagsFinalOutput);
        }
        return flags;
    }
}
