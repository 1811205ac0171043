package org.openprefect.appliance.db;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeps the prepared statements of a connection used by one thread at a time (the SQLite writer),
 * so each SQL text is compiled once rather than on every write. The connection hands out the
 * statements themselves, not wrappers: a wrapper that turned {@code close} into clearing made every
 * bind a reflective call (7 % of the events' CPU). So whoever uses one asks {@link #keeps} and, if
 * so, clears it instead of closing it ({@link Rows} does); one closed anyway is prepared again the
 * next time. The statements close with the connection.
 */
final class StatementCache {
    private static final int MAX_STATEMENTS = 256;

    private StatementCache() {
    }

    /** Whether {@code c} keeps its statements: give one back by clearing it, not by closing it. */
    static boolean keeps(Connection c) throws SQLException {
        return c.isWrapperFor(StatementCache.class);
    }

    static Connection wrap(Connection connection) {
        Map<String, PreparedStatement> cache = new HashMap<>();
        return (Connection) Proxy.newProxyInstance(StatementCache.class.getClassLoader(), new Class<?>[]{Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("prepareStatement") && args != null && args.length == 1 && args[0] instanceof String sql) {
                        PreparedStatement cached = cache.get(sql);
                        if (cached == null || cached.isClosed()) {
                            if (cache.size() >= MAX_STATEMENTS) {
                                for (PreparedStatement old : cache.values()) {
                                    old.close();
                                }
                                cache.clear();
                            }
                            cached = connection.prepareStatement(sql);
                            cache.put(sql, cached);
                        }
                        return cached;
                    }
                    if (method.getName().equals("isWrapperFor") && args[0] == StatementCache.class) {
                        return true;
                    }
                    if (method.getName().equals("close")) {
                        for (PreparedStatement statement : cache.values()) {
                            statement.close();
                        }
                        cache.clear();
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
