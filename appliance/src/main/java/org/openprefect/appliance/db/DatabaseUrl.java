package org.openprefect.appliance.db;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SQLAlchemy-style connection URL, as upstream's settings hold it, translated to JDBC.
 * {@link #masked()} is the only form that may appear in logs and messages.
 */
public record DatabaseUrl(DatabaseKind kind, String original, String jdbcUrl, Properties properties, String masked) {
    private static final Pattern SQLITE = Pattern.compile("^sqlite(\\+\\w+)?:///(.*)$");
    private static final Pattern POSTGRES = Pattern.compile("^postgres(?:ql)?(\\+\\w+)?://.*$");
    private static final Pattern PASSWORD_IN_URL = Pattern.compile("(://[^:/@]+:)([^@]*)(@)");

    public static DatabaseUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("The database connection URL is empty.");
        }
        Matcher sqlite = SQLITE.matcher(url);
        if (sqlite.matches()) {
            return sqlite(url, sqlite.group(2));
        }
        if (POSTGRES.matcher(url).matches()) {
            return postgres(url);
        }
        throw new IllegalArgumentException("Unsupported database URL " + mask(url)
                + ": use sqlite+aiosqlite:///PATH or postgresql+asyncpg://USER:PASSWORD@HOST:PORT/NAME.");
    }

    public boolean isInMemory() {
        return kind == DatabaseKind.SQLITE && (jdbcUrl.contains(":memory:") || jdbcUrl.contains("mode=memory"));
    }

    /** The database file of a file-backed SQLite URL, or null. */
    public String sqlitePath() {
        if (kind != DatabaseKind.SQLITE || isInMemory()) {
            return null;
        }
        String path = jdbcUrl.substring("jdbc:sqlite:".length());
        if (path.startsWith("file:")) {
            path = path.substring("file:".length());
        }
        int query = path.indexOf('?');
        return query >= 0 ? path.substring(0, query) : path;
    }

    private static DatabaseUrl sqlite(String url, String rest) {
        // upstream: sqlite+aiosqlite:///file::memory:?cache=shared&uri=true&check_same_thread=false
        int q = rest.indexOf('?');
        String path = q >= 0 ? rest.substring(0, q) : rest;
        Map<String, String> query = q >= 0 ? queryParams(rest.substring(q + 1)) : Map.of();
        StringBuilder jdbc = new StringBuilder("jdbc:sqlite:");
        if (path.isEmpty() || path.equals(":memory:") || path.equals("file::memory:")) {
            // One shared in-memory database per process, as upstream's cache=shared URI gives.
            jdbc.append("file:openprefect-memdb?mode=memory&cache=shared");
        } else {
            jdbc.append(path);
            String mode = query.get("mode");
            if (mode != null) {
                jdbc.append("?mode=").append(mode);
            }
        }
        return new DatabaseUrl(DatabaseKind.SQLITE, url, jdbc.toString(), new Properties(), url);
    }

    private static DatabaseUrl postgres(String url) {
        URI uri;
        try {
            uri = new URI(url.replaceFirst("^[^:]+://", "postgresql://"));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Malformed PostgreSQL URL " + mask(url) + ": " + e.getReason());
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("Malformed PostgreSQL URL " + mask(url) + ": no host.");
        }
        Properties props = new Properties();
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            props.setProperty("user", decode(colon >= 0 ? userInfo.substring(0, colon) : userInfo));
            if (colon >= 0) {
                props.setProperty("password", decode(userInfo.substring(colon + 1)));
            }
        }
        String database = uri.getRawPath() == null || uri.getRawPath().length() <= 1 ? "postgres" : decode(uri.getRawPath().substring(1));
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost());
        if (uri.getPort() > 0) {
            jdbc.append(':').append(uri.getPort());
        }
        jdbc.append('/').append(database);
        if (uri.getRawQuery() != null) {
            queryParams(uri.getRawQuery()).forEach((k, v) -> translatePostgresOption(k, v, props));
        }
        return new DatabaseUrl(DatabaseKind.POSTGRESQL, url, jdbc.toString(), props, mask(url));
    }

    /** asyncpg/libpq option names to the PostgreSQL JDBC driver's. */
    private static void translatePostgresOption(String key, String value, Properties props) {
        switch (key) {
            case "ssl", "sslmode" -> props.setProperty("sslmode", switch (value) {
                case "true", "1" -> "require";
                case "false", "0" -> "disable";
                default -> value;
            });
            case "application_name" -> props.setProperty("ApplicationName", value);
            case "options" -> props.setProperty("options", value);
            case "sslrootcert", "sslcert", "sslkey", "sslpassword" -> props.setProperty(key, value);
            case "default_transaction_isolation" -> props.setProperty("options", "-c default_transaction_isolation=" + value);
            default -> props.setProperty(key, value);
        }
    }

    private static Map<String, String> queryParams(String query) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            params.put(decode(eq >= 0 ? pair.substring(0, eq) : pair), eq >= 0 ? decode(pair.substring(eq + 1)) : "");
        }
        return params;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** Replaces the password of a URL with ********, as upstream's messages show it. */
    public static String mask(String url) {
        return url == null ? null : PASSWORD_IN_URL.matcher(url).replaceFirst("$1********$3");
    }

    @Override
    public String toString() {
        return masked;
    }
}
