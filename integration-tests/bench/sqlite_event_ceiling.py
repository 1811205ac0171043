#!/usr/bin/env python3
"""What SQLite alone does with task-run events (issue 19): the statements the server runs for the
events of /api/events/in (each event and its two resource rows; each task run's lookup and its one
insert or update with its newest state, however many of its events the transaction holds; each
event's state), replayed with Python's sqlite3 into a database made by `prefect server database
upgrade`, in transactions of BATCH events, with the server's pragmas. No JSON parsing, validation,
websocket or JDBC: the ceiling the server's single SQLite writer cannot pass on this schema.

Task-run and event ids are time-ordered (v7) as the real client makes them; `v4` as the third
argument makes them random.

Usage: integration-tests/bench/sqlite_event_ceiling.py [task runs, default 20000] [events per transaction, default 8000] [v7|v4]
"""
import datetime
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
batch = int(sys.argv[2]) if len(sys.argv) > 2 else 8000
random_ids = len(sys.argv) > 3 and sys.argv[3] == "v4"
home = tempfile.mkdtemp(prefix="openprefect-ceiling-")
subprocess.run([os.path.join(ROOT, "prefect"), "server", "database", "upgrade", "-y"], check=True,
               env=dict(os.environ, PREFECT_HOME=home), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

import sqlite3  # noqa: E402

c = sqlite3.connect(os.path.join(home, "prefect.db"), isolation_level=None)
for pragma in ("journal_mode=wal", "synchronous=normal", "cache_size=-16384", "foreign_keys=on"):
    c.execute("pragma " + pragma)


def v7():
    """48 bits of Unix milliseconds, the version, the variant, random bits (the server's event_resources ids)."""
    millis = time.time_ns() // 1_000_000
    return str(uuid.UUID(int=(millis << 80) | (0x7 << 76) | (random.getrandbits(12) << 64) | (0b10 << 62) | random.getrandbits(62)))


def client_id():
    return str(uuid.uuid4()) if random_ids else v7()


def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")


flow, flow_run = str(uuid.uuid4()), str(uuid.uuid4())
c.execute("insert into flow (id, name) values (?, ?)", (flow, "ceiling"))
c.execute("insert into flow_run (id, name, flow_id) values (?, ?, ?)", (flow_run, "ceiling", flow))
task_run = {"name": "bench-task", "task_key": "k" * 40, "dynamic_key": "0", "flow_run_id": flow_run, "empirical_policy": {"retries": 0},
            "tags": [], "labels": {}, "task_inputs": {}, "expected_start_time": now(), "start_time": now(), "run_count": 1}
payload = json.dumps({"intended": {"from": "PENDING", "to": "RUNNING"}, "initial_state": {"type": "PENDING", "name": "Pending"},
                      "validated_state": {"type": "RUNNING", "name": "Running", "state_details": {"flow_run_id": flow_run}},
                      "task_run": task_run})
related = json.dumps([{"prefect.resource.id": "prefect.flow." + flow, "prefect.resource.role": "flow", "prefect.resource.name": "f"}])
events = []  # (task run id, state type, event id): each task run's three events in order
for _ in range(runs):
    task = client_id()
    events.extend((task, state, client_id()) for state in ("PENDING", "RUNNING", "COMPLETED"))
spent = {}


def timed(label, sql, params):
    started = time.perf_counter()
    result = c.execute(sql, params)
    spent[label] = spent.get(label, 0) + time.perf_counter() - started
    return result


def write_run(task, state, event, ts):
    """A task run's one row write for the events of a transaction: its newest state (TaskRunRepository.record)."""
    if timed("run lookup", "select id, state_timestamp from task_run where id = ?", (task,)).fetchone() is None:
        timed("run insert", "insert into task_run (id, created, updated, name, flow_run_id, task_key, dynamic_key, flow_run_run_count, "
              "empirical_policy, task_inputs, tags, labels, run_count, expected_start_time, total_run_time, state_id, state_type, "
              "state_name, state_timestamp) values (?, ?, ?, ?, ?, ?, ?, 1, '{}', '{}', '[]', '{}', 0, ?, 0, ?, ?, ?, ?) "
              "on conflict do nothing", (task, ts, ts, "bench-task", flow_run, "k" + task, "0", ts, event, state, state.title(), ts))
    else:
        timed("run update", "update task_run set name = ?, cache_key = ?, cache_expiration = ?, task_version = ?, flow_run_run_count = ?, "
              "empirical_policy = ?, task_inputs = ?, tags = ?, labels = ?, run_count = ?, expected_start_time = ?, start_time = ?, "
              "end_time = ?, total_run_time = ?, state_id = ?, state_type = ?, state_name = ?, state_timestamp = ?, updated = ? "
              "where id = ?", ("bench-task", None, None, None, 1, "{}", "{}", "[]", "{}", 1, ts, ts,
                               ts if state == "COMPLETED" else None, 0.001, event, state, state.title(), ts, ts, task))


started = time.time()
for first in range(0, len(events), batch):
    c.execute("begin immediate")
    newest = {}  # task run -> (state, event, time) of its last event in this transaction
    for task, state, event in events[first:first + batch]:
        ts = now()
        resource = json.dumps({"prefect.resource.id": "prefect.task-run." + task, "prefect.state-type": state, "prefect.orchestration": "client"})
        timed("event", "insert into events (id, created, updated, occurred, event, resource_id, resource, related_resource_ids, related, "
              "payload, received, recorded, follows) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) do nothing",
              (event, ts, ts, ts, "prefect.task-run." + state.title(), "prefect.task-run." + task, resource,
               json.dumps(["prefect.flow." + flow]), related, payload, ts, ts, None))
        for resource_id, role, body in (("prefect.task-run." + task, "", resource), ("prefect.flow." + flow, "flow", related)):
            timed("event resources", "insert into event_resources (id, created, updated, occurred, resource_id, resource_role, resource, "
                  "event_id) values (?, ?, ?, ?, ?, ?, ?, ?)", (v7(), ts, ts, ts, resource_id, role, body, event))
        newest[task] = (state, event, ts)
    for task, (state, event, ts) in newest.items():
        write_run(task, state, event, ts)
    for task, state, event in events[first:first + batch]:
        ts = now()
        timed("state", "insert into task_run_state (id, created, updated, type, timestamp, name, message, state_details, task_run_id, "
              "result_artifact_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) do nothing",
              (event, ts, ts, state, ts, state.title(), "", json.dumps({"flow_run_id": flow_run, "task_run_id": task}), task, None))
    commit_started = time.perf_counter()
    c.execute("commit")
    spent["commit"] = spent.get("commit", 0) + time.perf_counter() - commit_started
elapsed = time.time() - started
in_sqlite = sum(spent.values())
print(f"{len(events)} events, {batch} a transaction, {'random' if random_ids else 'v7'} ids, SQLite {sqlite3.sqlite_version}: {len(events) / elapsed:,.0f} events/s "
      f"with this script's own Python work, {len(events) / in_sqlite:,.0f} events/s counting SQLite's calls alone")
for label, seconds in sorted(spent.items(), key=lambda item: -item[1]):
    print(f"  {label:16s} {seconds:6.2f} s")
