package org.openprefect.appliance.db;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** SQL conditions with their bound parameters, combined with AND or OR; values are never concatenated. */
public final class Where {
    private final List<String> conditions = new ArrayList<>();
    private final List<Object> params = new ArrayList<>();

    public Where add(String condition, Object... values) {
        conditions.add(condition);
        params.addAll(List.of(values));
        return this;
    }

    public Where add(Where nested, boolean or) {
        if (!nested.isEmpty()) {
            conditions.add(nested.sql(or));
            params.addAll(nested.params);
        }
        return this;
    }

    /**
     * "Related rows exist": adds {@code EXISTS (subquery AND inner)} when {@code inner} has
     * conditions, nothing otherwise. {@code subquery} is a SELECT ending in its WHERE's join condition.
     */
    public Where exists(String subquery, Where inner) {
        if (!inner.isEmpty()) {
            add("EXISTS (" + subquery + " AND " + inner.sql() + ")", inner.params().toArray());
        }
        return this;
    }

    public boolean isEmpty() {
        return conditions.isEmpty();
    }

    /** The conditions joined, in parentheses; "1=1" when there are none. */
    public String sql(boolean or) {
        if (conditions.isEmpty()) {
            return "1=1";
        }
        return "(" + String.join(or ? " OR " : " AND ", conditions) + ")";
    }

    public String sql() {
        return sql(false);
    }

    public List<Object> params() {
        return params;
    }

    /** "?, ?, ?" for n values. */
    public static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }
}
