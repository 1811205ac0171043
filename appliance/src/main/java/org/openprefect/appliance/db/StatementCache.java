package org.openprefect.appliance.db;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeps the prepared statements of a connection used by one thread at a time (the SQLite writer),
 * so each SQL text is compiled once rather than on every write. Closing a cached statement only
 * clears its parameters; the statements close with the connection.
 */
final class StatementCache {
    private static final int MAX_STATEMENTS = 256;

    private StatementCache() {
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
                        return keepOpen(cached);
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

    private static PreparedStatement keepOpen(PreparedStatement statement) {
        return (PreparedStatement) Proxy.newProxyInstance(StatementCache.class.getClassLoader(), new Class<?>[]{PreparedStatement.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        statement.clearParameters();
                        statement.clearBatch();
                        return null;
                    }
                    try {
                        return method.invoke(statement, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
