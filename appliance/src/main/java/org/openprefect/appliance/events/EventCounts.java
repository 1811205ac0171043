package org.openprefect.appliance.events;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.Rows;
import org.openprefect.appliance.db.SqlDialect;
import org.openprefect.appliance.db.Where;
import org.openprefect.appliance.http.ApiException;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code /events/count-by/{countable}}: matching events counted by name, resource, or time bucket. */
final class EventCounts {
    private static final Map<String, Duration> UNITS = Map.of("week", Duration.ofDays(7), "day", Duration.ofDays(1),
            "hour", Duration.ofHours(1), "minute", Duration.ofMinutes(1), "second", Duration.ofSeconds(1));
    private static final int MAX_BUCKETS = 1000;

    private final SqlDialect dialect;

    EventCounts(SqlDialect dialect) {
        this.dialect = dialect;
    }

    private record Row(String event, String resourceId, Instant occurred) {
    }

    private static final class Count {
        long count;
        Instant first;
        Instant last;
    }

    ArrayNode count(Connection c, Where where, String countable, String timeUnit, double timeInterval, Instant since, Instant until)
            throws SQLException {
        List<Row> rows = Rows.query(c, "SELECT events.event, events.resource_id, events.occurred FROM events WHERE " + where.sql(),
                where.params(), rs -> new Row(rs.getString("event"), rs.getString("resource_id"), dialect.readTimestamp(rs, "occurred")));
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        switch (countable) {
            case "event", "resource" -> {
                Map<String, Count> counts = new TreeMap<>();
                for (Row r : rows) {
                    Count n = counts.computeIfAbsent("event".equals(countable) ? r.event() : r.resourceId(), k -> new Count());
                    n.count++;
                    n.first = n.first == null || r.occurred().isBefore(n.first) ? r.occurred() : n.first;
                    n.last = n.last == null || r.occurred().isAfter(n.last) ? r.occurred() : n.last;
                }
                counts.forEach((value, n) -> out.add(entry(value, value, n.count, n.first, n.last)));
            }
            case "day", "time" -> {
                Duration unit = "day".equals(countable) ? Duration.ofDays(1) : UNITS.get(timeUnit);
                long bucketMicros = (long) (unit.toNanos() / 1000 * ("day".equals(countable) ? 1 : timeInterval));
                long span = ChronoUnit.MICROS.between(since, until);
                long buckets = (span + bucketMicros - 1) / bucketMicros;
                if (buckets > MAX_BUCKETS) {
                    throw ApiException.detail(422, "The given interval would create " + buckets + " buckets, which is too many. "
                            + "Please increase the time_interval or reduce the time range.");
                }
                long[] counts = new long[(int) Math.max(buckets, 0)];
                for (Row r : rows) {
                    int i = (int) (ChronoUnit.MICROS.between(since, r.occurred()) / bucketMicros);
                    if (i >= 0 && i < counts.length) {
                        counts[i]++;
                    }
                }
                for (int i = 0; i < counts.length; i++) {
                    Instant start = since.plusNanos(bucketMicros * 1000 * i);
                    Instant end = start.plusNanos(bucketMicros * 1000).minusNanos(1000);
                    out.add(entry(Times.iso(start), Times.iso(start), counts[i], start, end));
                }
            }
            default -> throw ApiException.detail(422, "Cannot count events by " + countable + ".");
        }
        return out;
    }

    private static ObjectNode entry(String value, String label, long count, Instant start, Instant end) {
        ObjectNode e = JsonNodeFactory.instance.objectNode();
        e.put("value", value).put("label", label).put("count", count).put("start_time", Times.iso(start)).put("end_time", Times.iso(end));
        return e;
    }

}
