package org.openprefect.appliance.rollup;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A time window split into the whole minutes the rollup answers and the parts of a minute at its
 * ends that only the runs themselves can: [after, before] becomes minutes [fromMinute, toMinute)
 * plus up to two edges, each a half-open [from, to). An unbounded window has no edges and takes
 * every minute, including runs without the time.
 */
public record MinuteRange(Instant after, Instant exclusiveBefore, Long fromMinute, Long toMinute, boolean noWholeMinute) {
    /** A half-open part of a minute: from inclusive, to exclusive; either may be null (unbounded). */
    public record Span(Instant from, Instant to) {
    }

    public static MinuteRange of(Instant after, Instant before) {
        Instant exclusiveBefore = before == null ? null : before.plusNanos(1_000);
        Long from = after == null ? null : ceilMinute(after);
        Long to = exclusiveBefore == null ? null : floorMinute(exclusiveBefore);
        boolean none = from != null && to != null && from >= to;
        return new MinuteRange(after, exclusiveBefore, from, to, none);
    }

    public static MinuteRange unbounded() {
        return new MinuteRange(null, null, null, null, false);
    }

    public boolean bounded() {
        return after != null || exclusiveBefore != null;
    }

    /** The parts of the window outside its whole minutes. */
    public List<Span> edges() {
        List<Span> edges = new ArrayList<>();
        if (noWholeMinute) {
            edges.add(new Span(after, exclusiveBefore));
            return edges;
        }
        if (after != null && after.isBefore(start(fromMinute))) {
            edges.add(new Span(after, start(fromMinute)));
        }
        if (exclusiveBefore != null && start(toMinute).isBefore(exclusiveBefore)) {
            edges.add(new Span(start(toMinute), exclusiveBefore));
        }
        return edges;
    }

    /** The whole minutes as a span of time (null ends unbounded), or null when there are none. */
    public Span wholeMinutes() {
        if (noWholeMinute) {
            return null;
        }
        return new Span(fromMinute == null ? null : start(fromMinute), toMinute == null ? null : start(toMinute));
    }

    public static long floorMinute(Instant t) {
        return Math.floorDiv(t.getEpochSecond(), 60);
    }

    public static long ceilMinute(Instant t) {
        long floor = floorMinute(t);
        return start(floor).equals(t) ? floor : floor + 1;
    }

    public static Instant start(long minute) {
        return Instant.ofEpochSecond(minute * 60);
    }
}
