package org.openprefect.migrations;

/**
 * One schema revision as it applies to a dialect.
 *
 * @param id          short stable id, e.g. {@code r0002}
 * @param description what the revision does
 * @param changesets  how many Liquibase changesets it holds for this dialect
 * @param applied     whether the database has it
 */
public record Revision(String id, String description, int changesets, boolean applied) {

    /** The revision a changeset id ({@code r0002-postgresql}) belongs to. */
    static String idOf(String changesetId) {
        int dash = changesetId.indexOf('-');
        return dash < 0 ? changesetId : changesetId.substring(0, dash);
    }
}
