"""Plays flow.serve()'s runner and run_deployment against a server, the way Prefect 3.4's do
(traces/serve.jsonl), on the same libraries: httpx for the REST calls (a keep-alive pool, gzip
accepted) and websockets for /events/out (the "prefect" subprotocol, a ping, auth, then the
runner's exact filter).

The runner: upserts its deployment (an hourly interval schedule anchored a few seconds ahead),
polls get_scheduled_flow_runs every half second with scheduled_before = now + 10 s in Python's
str(datetime) form, and for each run that is due proposes PENDING, then RUNNING, then COMPLETED
after the run's sleep_s; when its run's prefect.flow-run.Cancelling arrives on /events/out it
"kills the process", proposes CRASHED (which the server must refuse) and then CANCELLED.

The scenario: run_deployment with parameters waits for COMPLETED; a long run is cancelled while
RUNNING (as `prefect flow-run cancel` does) and must end CANCELLED; the scheduler's first run must be
picked up and completed on time. Usage: serve_runner.py API_URL. Prints one JSON report.
"""
import asyncio
import datetime
import json
import sys
import uuid

import httpx
import websockets

FLOW = "ref-greeter-" + uuid.uuid4().hex[:8]
TERMINAL = {"COMPLETED", "FAILED", "CANCELLED", "CRASHED"}


def state(kind, name, message=None, **details):
    return {"state": {"type": kind, "name": name, "message": message, "state_details": details, "data": None}, "force": False}


class Runner:
    def __init__(self, http, ws_base, deployment_id):
        self.http = http
        self.ws_base = ws_base
        self.deployment_id = deployment_id
        self.started = {}
        self.processes = {}
        self.report = {"polls": 0, "crashed_refused": None, "cancelled_by_event": []}

    async def set_state(self, run_id, body):
        response = await self.http.post(f"/flow_runs/{run_id}/set_state", json=body)
        response.raise_for_status()
        return response.json()

    async def poll(self):
        while True:
            before = str(datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=10))
            response = await self.http.post("/deployments/get_scheduled_flow_runs",
                                             json={"deployment_ids": [self.deployment_id], "scheduled_before": before})
            response.raise_for_status()
            self.report["polls"] += 1
            now = datetime.datetime.now(datetime.timezone.utc)
            for run in response.json():
                due = datetime.datetime.fromisoformat(run["next_scheduled_start_time"].replace("Z", "+00:00"))
                if run["id"] not in self.started and due <= now:
                    self.started[run["id"]] = now.isoformat()
                    pending = await self.set_state(run["id"], state("PENDING", "Pending", flow_run_id=run["id"]))
                    if pending["status"] == "ACCEPT":
                        self.processes[run["id"]] = asyncio.create_task(self.execute(run))
            await asyncio.sleep(0.5)

    async def execute(self, run):
        await self.set_state(run["id"], state("RUNNING", "Running", flow_run_id=run["id"]))
        await asyncio.sleep(float(run["parameters"].get("sleep_s", 0.0)))
        await self.set_state(run["id"], state("COMPLETED", "Completed", flow_run_id=run["id"]))

    async def watch_cancellations(self):
        async with websockets.connect(self.ws_base + "/events/out", subprotocols=["prefect"]) as socket:
            await asyncio.wait_for(await socket.ping(), 10)
            await socket.send(json.dumps({"type": "auth", "token": None}))
            assert json.loads(await asyncio.wait_for(socket.recv(), 10))["type"] == "auth_success"
            now = datetime.datetime.now(datetime.timezone.utc)
            await socket.send(json.dumps({"type": "filter", "filter": {
                "occurred": {"since": (now - datetime.timedelta(minutes=1)).isoformat().replace("+00:00", "Z"),
                             "until": (now + datetime.timedelta(days=365)).isoformat().replace("+00:00", "Z")},
                "event": {"prefix": None, "exclude_prefix": None, "name": ["prefect.flow-run.Cancelling"], "exclude_name": None},
                "resource": None, "related": None, "any_resource": None, "id": {"id": []}, "text": None, "order": "DESC"}}))
            self.report["subscribed"] = True
            async for message in socket:
                event = json.loads(message)["event"]
                run_id = event["resource"]["prefect.resource.id"].removeprefix("prefect.flow-run.")
                process = self.processes.get(run_id)
                if process is None or process.done():
                    continue
                process.cancel()
                crashed = await self.set_state(run_id, state(
                    "CRASHED", "Crashed", "Flow run process exited with non-zero status code -15.", flow_run_id=run_id))
                self.report["crashed_refused"] = crashed["status"]
                await self.set_state(run_id, state("CANCELLED", "Cancelled", "Flow run was cancelled successfully.", flow_run_id=run_id))
                self.report["cancelled_by_event"].append(run_id)


async def wait_for(http, run_id, types, timeout=60):
    for _ in range(int(timeout / 0.25)):
        run = (await http.get(f"/flow_runs/{run_id}")).json()
        if run["state_type"] in types:
            return run
        await asyncio.sleep(0.25)
    raise AssertionError(f"run {run_id} never reached {types}: {run['state_type']}")


async def main(api_url):
    report = {}
    async with httpx.AsyncClient(base_url=api_url, timeout=30) as http:
        flow = (await http.post("/flows/", json={"name": FLOW, "tags": [], "labels": {}})).json()
        anchor = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=6)).replace(microsecond=0)
        deployment = await http.post("/deployments/", json={
            "name": "ref-serve-dep", "flow_id": flow["id"], "paused": False,
            "schedules": [{"schedule": {"interval": 3600.0, "anchor_date": anchor.isoformat(), "timezone": "UTC"},
                           "active": True, "max_scheduled_runs": None, "parameters": {}, "slug": None}],
            "enforce_parameter_schema": True,
            "parameter_openapi_schema": {"title": "Parameters", "type": "object", "properties": {
                "who": {"default": "world", "position": 0, "title": "who", "type": "string"},
                "times": {"default": 1, "position": 1, "title": "times", "type": "integer"},
                "sleep_s": {"default": 0.0, "position": 2, "title": "sleep_s", "type": "number"}}},
            "parameters": {"who": "default-who"}, "tags": ["ref", "served"], "labels": {}, "path": ".",
            "entrypoint": "serve.py:greeter", "job_variables": {}, "version": "2024.1"})
        report["deployment_status"] = deployment.status_code
        deployment_id = deployment.json()["id"]
        assert (await http.delete(f"/automations/owned-by/prefect.deployment.{deployment_id}")).status_code == 202

        runner = Runner(http, api_url.replace("http://", "ws://", 1), deployment_id)
        tasks = [asyncio.create_task(runner.poll()), asyncio.create_task(runner.watch_cancellations())]
        while not runner.report.get("subscribed"):
            await asyncio.sleep(0.1)

        # run_deployment: parameters over the deployment's, then wait for the result
        now = datetime.datetime.now(datetime.timezone.utc).isoformat()
        created = (await http.post(f"/deployments/{deployment_id}/create_flow_run", json={
            "state": {"type": "SCHEDULED", "name": "Scheduled", "message": None, "state_details": {"scheduled_time": now}, "data": None},
            "name": None, "parameters": {"times": 2}, "context": {}, "tags": [], "idempotency_key": None,
            "parent_task_run_id": None, "job_variables": None, "labels": {}})).json()
        done = await wait_for(http, created["id"], TERMINAL)
        report["run_deployment"] = {"state": done["state_type"], "parameters": done["parameters"]}

        # a long run, cancelled while running
        long_run = (await http.post(f"/deployments/{deployment_id}/create_flow_run", json={"parameters": {"sleep_s": 120}})).json()
        await wait_for(http, long_run["id"], {"RUNNING"})
        cancel = await http.post(f"/flow_runs/{long_run['id']}/set_state", json=state("CANCELLING", "Cancelling"))
        report["cancel_proposal"] = cancel.json()["status"]
        cancelled = await wait_for(http, long_run["id"], TERMINAL)
        states = (await http.get("/flow_run_states/", params={"flow_run_id": long_run["id"]})).json()
        report["cancelled"] = {"state": cancelled["state_type"], "message": cancelled["state"]["message"],
                               "history": [s["type"] for s in states], "by_event": long_run["id"] in runner.report["cancelled_by_event"]}

        # the scheduler's first run, due at the anchor, picked up by the poll and run on time
        scheduled = None
        for _ in range(120):
            found = (await http.post("/flow_runs/filter", json={"deployments": {"id": {"any_": [deployment_id]}},
                                                               "sort": "EXPECTED_START_TIME_ASC"})).json()
            auto = [r for r in found if r["auto_scheduled"]]
            if auto and auto[0]["state_type"] in TERMINAL:
                scheduled = auto[0]
                break
            await asyncio.sleep(0.25)
        assert scheduled is not None, "the scheduled run never completed"
        expected = datetime.datetime.fromisoformat(scheduled["expected_start_time"].replace("Z", "+00:00"))
        started = datetime.datetime.fromisoformat(scheduled["start_time"].replace("Z", "+00:00"))
        report["scheduled"] = {"state": scheduled["state_type"], "expected_start_time": scheduled["expected_start_time"],
                               "anchor": anchor.isoformat(), "started_late_by_s": (started - expected).total_seconds(),
                               "auto_scheduled_runs": len(auto)}
        report.update(runner.report)
        for task in tasks:
            task.cancel()
    print(json.dumps(report))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
