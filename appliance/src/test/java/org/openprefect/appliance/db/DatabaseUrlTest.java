package org.openprefect.appliance.db;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SQLAlchemy URLs from upstream's docs, translated to JDBC. */
class DatabaseUrlTest {
    @Test
    void sqliteFile() {
        DatabaseUrl url = DatabaseUrl.parse("sqlite+aiosqlite:////home/me/.prefect/prefect.db");
        assertEquals(DatabaseKind.SQLITE, url.kind());
        assertEquals("jdbc:sqlite:/home/me/.prefect/prefect.db", url.jdbcUrl());
        assertEquals("/home/me/.prefect/prefect.db", url.sqlitePath());
        assertFalse(url.isInMemory());
    }

    @Test
    void sqliteInMemoryFromTheDocs() {
        DatabaseUrl url = DatabaseUrl.parse("sqlite+aiosqlite:///file::memory:?cache=shared&uri=true&check_same_thread=false");
        assertTrue(url.isInMemory());
        assertTrue(url.jdbcUrl().startsWith("jdbc:sqlite:file:"), url.jdbcUrl());
        assertTrue(url.jdbcUrl().contains("mode=memory"), url.jdbcUrl());
    }

    @Test
    void postgresWithCredentialsAndOptions() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql+asyncpg://prefect:s%40cret@db.example:5433/orchestration?ssl=require&application_name=pf");
        assertEquals(DatabaseKind.POSTGRESQL, url.kind());
        assertEquals("jdbc:postgresql://db.example:5433/orchestration", url.jdbcUrl());
        assertEquals("prefect", url.properties().getProperty("user"));
        assertEquals("s@cret", url.properties().getProperty("password"));
        assertEquals("require", url.properties().getProperty("sslmode"));
        assertEquals("pf", url.properties().getProperty("ApplicationName"));
        assertEquals("postgresql+asyncpg://prefect:********@db.example:5433/orchestration?ssl=require&application_name=pf", url.masked());
        assertFalse(url.toString().contains("cret"));
    }

    @Test
    void unsupportedUrlsAreRefusedWithoutLeakingPasswords() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DatabaseUrl.parse("mysql://root:pw@db/x"));
        assertFalse(e.getMessage().contains(":pw@"), e.getMessage());
        assertTrue(e.getMessage().contains("sqlite+aiosqlite"), e.getMessage());
    }
}
