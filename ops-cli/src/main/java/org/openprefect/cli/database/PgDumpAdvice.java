package org.openprefect.cli.database;

import org.openprefect.appliance.db.DatabaseUrl;

/** The pg_dump command for a PostgreSQL URL, password left to PGPASSWORD or ~/.pgpass. */
final class PgDumpAdvice {
    private PgDumpAdvice() {
    }

    static String command(DatabaseUrl url) {
        String jdbc = url.jdbcUrl().substring("jdbc:postgresql://".length());
        String hostPort = jdbc.substring(0, jdbc.indexOf('/'));
        String database = jdbc.substring(jdbc.indexOf('/') + 1);
        String host = hostPort.contains(":") ? hostPort.substring(0, hostPort.lastIndexOf(':')) : hostPort;
        String port = hostPort.contains(":") ? hostPort.substring(hostPort.lastIndexOf(':') + 1) : "5432";
        String user = url.properties().getProperty("user", "postgres");
        return "pg_dump -h " + host + " -p " + port + " -U " + user + " -Fc -f prefect-backup.dump " + database;
    }
}
