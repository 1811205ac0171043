package org.openprefect.appliance.db;

import org.openprefect.appliance.common.Times;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * The few places where SQLite and PostgreSQL SQL differ, so each feature writes its SQL once.
 * Values are bound as text on both (PostgreSQL casts them to the column's type; see
 * {@code stringtype=unspecified}); only timestamps need a per-dialect text form.
 */
public enum SqlDialect {
    SQLITE,
    POSTGRESQL;

    /** The text to bind for a timestamp column. */
    public String timestamp(Instant t) {
        return this == SQLITE ? Times.sqlite(t) : Times.iso(t);
    }

    public Instant readTimestamp(ResultSet rs, String column) throws SQLException {
        if (this == POSTGRESQL) {
            OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
            return t == null ? null : t.toInstant();
        }
        return Times.parse(rs.getString(column));
    }

    /** A timestamp of ours written into SQL (never user text), typed as a timestamp on both. */
    public String timestampLiteral(Instant t) {
        return this == SQLITE ? "'" + Times.sqlite(t) + "'" : "CAST('" + Times.iso(t) + "' AS timestamptz)";
    }

    /**
     * Float seconds from one timestamp expression to another, to the microsecond: SQLite's date
     * functions keep milliseconds only, so whole seconds come from them and the fraction from the text.
     */
    public String secondsBetween(String from, String to) {
        if (this == POSTGRESQL) {
            return seconds("(" + to + " - " + from + ")");
        }
        return "(round((julianday(substr(" + to + ", 1, 19)) - julianday(substr(" + from + ", 1, 19))) * 86400.0)"
                + " + CAST(substr(" + to + ", 20) AS REAL) - CAST(substr(" + from + ", 20) AS REAL))";
    }

    /**
     * The minute of a timestamp expression as whole minutes since 1970 (rounded down, also before
     * 1970); NULL stays NULL.
     */
    public String epochMinute(String column) {
        if (this == POSTGRESQL) {
            return "CAST(floor(EXTRACT(EPOCH FROM " + column + ") / 60) AS bigint)";
        }
        String seconds = "CAST(strftime('%s', substr(" + column + ", 1, 19)) AS INTEGER)";
        return "((" + seconds + " - ((" + seconds + " % 60) + 60) % 60) / 60)";
    }

    /** The larger of two numeric expressions. */
    public String greatest(String a, String b) {
        return (this == POSTGRESQL ? "GREATEST(" : "max(") + a + ", " + b + ")";
    }

    /** An expression reading an interval column as float seconds. */
    public String seconds(String column) {
        return this == POSTGRESQL ? "EXTRACT(EPOCH FROM " + column + ")::float8" : column;
    }

    /**
     * The text to bind for an interval column from float seconds; never in exponent notation, which
     * PostgreSQL's interval input refuses (a task run of 0.4 ms is 4.0E-4 as a Java double's text).
     */
    public String interval(double seconds) {
        String plain = BigDecimal.valueOf(seconds).toPlainString();
        return this == POSTGRESQL ? plain + " seconds" : plain;
    }

    /** A JSON array column overlapping the JSON array parameter. */
    public String jsonArrayContainsAny(String column) {
        return this == POSTGRESQL
                ? "jsonb_exists_any(" + column + ", ARRAY(SELECT jsonb_array_elements_text(CAST(? AS jsonb))))"
                : "EXISTS (SELECT 1 FROM json_each(" + column + ") AS have WHERE have.value IN (SELECT value FROM json_each(?)))";
    }

    /** A JSON array column holding every element of the JSON array parameter. */
    public String jsonArrayContainsAll(String column) {
        return this == POSTGRESQL
                ? column + " @> CAST(? AS jsonb)"
                : "NOT EXISTS (SELECT 1 FROM json_each(?) AS want WHERE want.value NOT IN (SELECT value FROM json_each(" + column + ")))";
    }

    /** Case-insensitive substring match; the parameter is the raw needle. */
    public String containsIgnoringCase(String column) {
        return this == POSTGRESQL
                ? column + " ILIKE '%' || ? || '%'"
                : "lower(" + column + ") LIKE '%' || lower(?) || '%'";
    }

    /** The text a JSON column is compared as (PostgreSQL stores jsonb, SQLite text). */
    public String jsonText(String column) {
        return this == POSTGRESQL ? column + "::text" : column;
    }

    /** Appended to a SELECT that must lock the rows it reads; SQLite's single writer serializes anyway. */
    public String forUpdate() {
        return this == POSTGRESQL ? " FOR UPDATE" : "";
    }

    /** A JSON value read from a column of a JSON object: column ->> key. */
    public String jsonField(String column, String key) {
        return this == POSTGRESQL ? "(" + column + " ->> '" + key + "')" : "json_extract(" + column + ", '$." + key + "')";
    }
}
