"""Drives /events/in and /events/out the way Prefect 3's events clients do, on the same libraries.

PrefectEventsClient: connect to /events/in (no subprotocol, compression offered, keepalive pings
every 20 s), ping and wait for the pong before the first event, send each event as one text
message, ping again as a delivery checkpoint, close with 1000. PrefectEventSubscriber: connect to
/events/out with the "prefect" subprotocol, ping, auth, filter. httpx then reads the task runs
back as the client's PrefectClient does (keep-alive pool, gzip accepted).

Usage: prefect_events_client.py API_URL EVENTS_JSONL FLOW_RUN_ID. Prints one JSON report.
"""
import asyncio
import json
import sys

import httpx
import websockets

CHECKPOINT_EVERY = 5


async def main(api_url, events_file, flow_run_id):
    ws_base = api_url.replace("http://", "ws://", 1)
    events = [line for line in open(events_file, encoding="utf-8").read().splitlines() if line.strip()]
    report = {"sent": 0, "streamed": 0}

    async with websockets.connect(ws_base + "/events/out", subprotocols=["prefect"]) as subscriber:
        await asyncio.wait_for(await subscriber.ping(), 10)
        await subscriber.send(json.dumps({"type": "auth", "token": None}))
        auth = json.loads(await asyncio.wait_for(subscriber.recv(), 10))
        assert auth["type"] == "auth_success", auth
        await subscriber.send(json.dumps({
            "type": "filter",
            "filter": {"event": {"prefix": ["prefect.task-run."]},
                       "related": {"id": ["prefect.flow-run." + flow_run_id]}},
            "backfill": False,
        }))
        await asyncio.wait_for(await subscriber.ping(), 10)

        client = await websockets.connect(ws_base + "/events/in")
        await asyncio.wait_for(await client.ping(), 10)
        for i, event in enumerate(events, 1):
            await client.send(event)
            report["sent"] += 1
            if i % CHECKPOINT_EVERY == 0:
                await asyncio.wait_for(await client.ping(), 10)
        await asyncio.wait_for(await client.ping(), 10)
        await client.close()
        report["events_in_close_code"] = client.close_code

        seen = set()
        while len(seen) < len(events):
            message = json.loads(await asyncio.wait_for(subscriber.recv(), 30))
            if message.get("type") == "event":
                seen.add(message["event"]["id"])
        report["streamed"] = len(seen)

    with httpx.Client(base_url=api_url, timeout=30) as http:
        for _ in range(100):
            response = http.post("/task_runs/filter",
                                 json={"flow_runs": {"id": {"any_": [flow_run_id]}}})
            response.raise_for_status()
            if len(response.json()) >= 5:
                break
            await asyncio.sleep(0.1)
        report["task_runs_seen"] = len(response.json())
        report["task_runs_content_encoding"] = response.headers.get("content-encoding")
    print(json.dumps(report))


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
