package org.openprefect.migrations;

/** One schema revision: its short stable id, the file it lives in, and whether it is applied. */
public record Revision(String id, String file, boolean applied) {
}
