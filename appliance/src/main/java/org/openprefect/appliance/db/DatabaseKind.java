package org.openprefect.appliance.db;

/** The two databases upstream supports. */
public enum DatabaseKind {
    SQLITE("sqlite"),
    POSTGRESQL("postgresql");

    private final String label;

    DatabaseKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
