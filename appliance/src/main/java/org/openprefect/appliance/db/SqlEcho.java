package org.openprefect.appliance.db;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.logging.Logger;

/**
 * {@code PREFECT_SERVER_DATABASE_ECHO}: wraps a connection so every SQL text it prepares or runs is
 * logged. Only the SQL is logged, never bound values, so no secret reaches the log.
 */
final class SqlEcho {
    private static final Logger LOG = Logger.getLogger("org.openprefect.sql");

    private SqlEcho() {
    }

    static Connection wrap(Connection connection) {
        return (Connection) Proxy.newProxyInstance(SqlEcho.class.getClassLoader(), new Class<?>[]{Connection.class},
                new Echo(connection, true));
    }

    private record Echo(Object target, boolean isConnection) implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (args != null && args.length > 0 && args[0] instanceof String sql
                    && (name.startsWith("prepare") || name.startsWith("execute") || name.equals("addBatch"))) {
                LOG.info(sql);
            }
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (isConnection && name.equals("createStatement") && result instanceof Statement statement) {
                return Proxy.newProxyInstance(SqlEcho.class.getClassLoader(), new Class<?>[]{Statement.class}, new Echo(statement, false));
            }
            return result;
        }
    }
}
