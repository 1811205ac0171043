"""Writes expected_dates.json: the run times upstream Prefect 3.4 (on Python 3.13) computes for
deployment schedules, for the DST and rrule cases ScheduleRulesTest pins.

It follows upstream's algorithm in prefect/server/schemas/schedules.py (the Python >= 3.13
branch) with the libraries upstream uses: croniter for cron, dateutil.rrule for rrule, and the
standard zoneinfo for what upstream does with `whenever` (same conventions: fold=0, skipped
local times extrapolated forward). Run it with Debian's python3-croniter and python3-dateutil:

    /usr/bin/python3 expected_dates.py > expected_dates.json
"""
import json
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import dateutil.rrule
import dateutil.tz
from croniter import croniter

MAX_ITERATIONS = 1000
UTC = timezone.utc


def normalized(dt, tz):
    """An aware datetime, read the way `whenever` reads it, in the schedule's zone."""
    return dt.astimezone(UTC).astimezone(ZoneInfo(tz))


def cron_dates(cron, tz, day_or, start, n):
    zone = tz or "UTC"
    start = start.astimezone(ZoneInfo(zone))
    start = start - timedelta(seconds=1)
    if start.microsecond > 0:
        start += timedelta(seconds=1)
    start_localized = start.astimezone(ZoneInfo(zone))
    start_naive = start.replace(tzinfo=None)
    it = croniter(cron, start_naive, day_or=day_or)
    dates, counter = [], 0
    while True:
        next_naive = it.get_next(datetime)
        next_date = normalized(start_localized + (next_naive - start_naive), zone)
        if next_date not in dates:
            dates.append(next_date)
        if len(dates) >= n or counter > MAX_ITERATIONS:
            break
        counter += 1
    return sorted(dates)


def add_days_seconds(zdt, days, seconds, tz):
    """whenever's ZonedDateTime.add(days=, seconds=), after Temporal's AddZonedDateTime: with no
    days, exact time only; otherwise days on the local clock (a repeated time takes its first
    occurrence, a skipped one moves forward), then the seconds in exact time."""
    if days == 0:
        return exact_plus(zdt, seconds, tz)
    local = zdt.replace(tzinfo=None) + timedelta(days=days)
    moved = normalized(local.replace(tzinfo=ZoneInfo(tz), fold=0), tz)
    return exact_plus(moved, seconds, tz)


def exact_plus(zdt, seconds, tz):
    """Seconds in exact time (Python's aware + timedelta would move the wall clock instead)."""
    return normalized(zdt.astimezone(UTC) + timedelta(seconds=seconds), tz)


def interval_dates(interval, anchor, tz, start, n):
    zone = tz or "UTC"
    anchor_zdt = normalized(anchor, zone)
    local_start = normalized(start, zone)
    offset = (local_start - anchor_zdt).total_seconds() / interval
    next_date = exact_plus(anchor_zdt, interval * int(offset), zone)
    days = int(interval // 86400)
    seconds = interval - days * 86400
    while next_date < local_start:
        next_date = add_days_seconds(next_date, days, seconds, zone)
    # upstream keeps whenever objects in its set, which compare exact times: the two 01:00s of a
    # fall-back night are different runs (Python's aware datetimes in one zone would compare equal)
    dates, seen, counter = [], set(), 0
    while True:
        if next_date.astimezone(UTC) not in seen:
            seen.add(next_date.astimezone(UTC))
            dates.append(next_date)
        if len(dates) >= n or counter > MAX_ITERATIONS:
            break
        counter += 1
        next_date = add_days_seconds(next_date, days, seconds, zone)
    return dates


def to_rrule(text, tz):
    rule = dateutil.rrule.rrulestr(text, dtstart=datetime(2020, 1, 1), cache=True)
    zone = dateutil.tz.gettz(tz)

    def localized(r):
        kwargs = dict(dtstart=r._dtstart.replace(tzinfo=zone))
        if r._until:
            kwargs["until"] = r._until.replace(tzinfo=zone)
        return r.replace(**kwargs)

    if isinstance(rule, dateutil.rrule.rrule):
        return localized(rule)
    rule._rrule = [localized(r) for r in rule._rrule]
    rule._exrule = [localized(r) for r in rule._exrule]
    rule._rdate = [d.replace(tzinfo=zone) for d in rule._rdate]
    rule._exdate = [d.replace(tzinfo=zone) for d in rule._exdate]
    return rule


def rrule_dates(text, tz, start, n):
    start = start.astimezone(ZoneInfo(tz))
    dates, counter = [], 0
    for next_date in to_rrule(text, tz).xafter(start, count=None, inc=True):
        next_date = next_date.astimezone(ZoneInfo(tz))
        if next_date not in dates:
            dates.append(next_date)
        if len(dates) >= n or counter > MAX_ITERATIONS:
            break
        counter += 1
    return sorted(dates)


def at(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


CASES = [
    # A 02:30 daily cron on the spring-forward day: 02:30 does not exist that night.
    {"name": "cron 02:30 daily, New York, spring forward", "schedule": {"cron": "30 2 * * *", "timezone": "America/New_York", "day_or": True},
     "start": "2026-03-06T12:00:00Z", "n": 4},
    # An hourly cron on the fall-back day: the first 01:00 and the first 02:00, two hours apart.
    {"name": "cron hourly, New York, fall back", "schedule": {"cron": "0 * * * *", "timezone": "America/New_York", "day_or": True},
     "start": "2026-11-01T03:30:00Z", "n": 6},
    {"name": "cron 01:30 daily, New York, fall back", "schedule": {"cron": "30 1 * * *", "timezone": "America/New_York", "day_or": True},
     "start": "2026-10-30T12:00:00Z", "n": 4},
    {"name": "cron without timezone is UTC", "schedule": {"cron": "0 3 * * *", "timezone": None, "day_or": True},
     "start": "2026-12-02T19:11:54.490802Z", "n": 3},
    {"name": "cron day_or true: the 1st-7th or any Monday", "schedule": {"cron": "0 9 1-7 * 1", "timezone": "UTC", "day_or": True},
     "start": "2026-06-01T00:00:00Z", "n": 10},
    {"name": "cron day_or false: a Monday among the 1st-7th", "schedule": {"cron": "0 9 1-7 * 1", "timezone": "UTC", "day_or": False},
     "start": "2026-06-01T00:00:00Z", "n": 4},
    {"name": "cron every 15 minutes on weekdays, Chicago", "schedule": {"cron": "*/15 16-17 * * 1-5", "timezone": "America/Chicago", "day_or": True},
     "start": "2026-12-04T23:20:00Z", "n": 10},
    {"name": "cron start exactly on a run time includes it", "schedule": {"cron": "0 * * * *", "timezone": "UTC", "day_or": True},
     "start": "2026-12-03T10:00:00Z", "n": 2},
    {"name": "cron start just after a run time skips it", "schedule": {"cron": "0 * * * *", "timezone": "UTC", "day_or": True},
     "start": "2026-12-03T10:00:00.500000Z", "n": 2},
    {"name": "cron names and steps", "schedule": {"cron": "0 12 */10 JAN,JUL SUN", "timezone": "Europe/Berlin", "day_or": True},
     "start": "2026-12-03T00:00:00Z", "n": 8},
    # Intervals under a day follow UTC; a day or more keeps the local clock hour across DST.
    {"name": "interval hourly, New York, fall back", "schedule": {"interval": 3600.0, "anchor_date": "2026-01-01T05:00:00Z", "timezone": "America/New_York"},
     "start": "2026-11-01T03:30:00Z", "n": 5},
    {"name": "interval daily, New York, spring forward keeps 09:00", "schedule": {"interval": 86400.0, "anchor_date": "2026-03-01T14:00:00Z", "timezone": "America/New_York"},
     "start": "2026-03-06T12:00:00Z", "n": 4},
    {"name": "interval 90 s, UTC", "schedule": {"interval": 90.0, "anchor_date": "2026-01-01T00:00:00Z", "timezone": "UTC"},
     "start": "2026-12-03T08:00:10Z", "n": 3},
    {"name": "interval 36 h, Berlin, spring forward", "schedule": {"interval": 129600.0, "anchor_date": "2026-03-20T00:00:00Z", "timezone": "Europe/Berlin"},
     "start": "2026-03-25T00:00:00Z", "n": 5},
    {"name": "interval with anchor in the future", "schedule": {"interval": 600.0, "anchor_date": "2027-01-01T00:00:00Z", "timezone": "UTC"},
     "start": "2026-12-31T23:41:00Z", "n": 3},
    # RRules: iCalendar local times in the schedule's zone.
    {"name": "rrule 02:30 daily, New York, spring forward", "schedule": {"rrule": "FREQ=DAILY;BYHOUR=2;BYMINUTE=30", "timezone": "America/New_York"},
     "start": "2026-03-06T12:00:00Z", "n": 4},
    {"name": "rrule hourly, New York, fall back", "schedule": {"rrule": "FREQ=HOURLY", "timezone": "America/New_York"},
     "start": "2026-11-01T03:30:00Z", "n": 5},
    {"name": "rrule weekly with DTSTART and EXDATE, Berlin", "schedule": {"rrule": "DTSTART:20260105T090000\nRRULE:FREQ=WEEKLY;BYDAY=MO,WE\nEXDATE:20260112T090000", "timezone": "Europe/Berlin"},
     "start": "2026-01-01T00:00:00Z", "n": 5},
    {"name": "rrule two rules and an RDATE", "schedule": {"rrule": "DTSTART:20260601T080000\nRRULE:FREQ=WEEKLY;BYDAY=MO\nRRULE:FREQ=MONTHLY;BYMONTHDAY=15;BYHOUR=18\nRDATE:20260603T120000", "timezone": "UTC"},
     "start": "2026-06-01T00:00:00Z", "n": 6},
    {"name": "rrule with COUNT ends", "schedule": {"rrule": "DTSTART:20260101T000000\nRRULE:FREQ=DAILY;COUNT=3", "timezone": "UTC"},
     "start": "2025-12-01T00:00:00Z", "n": 5},
    {"name": "rrule without DTSTART starts 2020-01-01", "schedule": {"rrule": "FREQ=MONTHLY;BYMONTHDAY=-1;BYHOUR=23;BYMINUTE=0", "timezone": "Asia/Tokyo"},
     "start": "2026-12-03T00:00:00Z", "n": 3},
]


def dates_of(case):
    s, start, n = case["schedule"], at(case["start"]), case["n"]
    if "cron" in s:
        return cron_dates(s["cron"], s["timezone"], s["day_or"], start, n)
    if "interval" in s:
        return interval_dates(s["interval"], at(s["anchor_date"]), s["timezone"], start, n)
    return rrule_dates(s["rrule"], s["timezone"], start, n)


if __name__ == "__main__":
    out = [dict(case, expected=[d.isoformat() for d in dates_of(case)]) for case in CASES]
    print(json.dumps(out, indent=1))
