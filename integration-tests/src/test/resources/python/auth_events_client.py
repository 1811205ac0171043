"""The 3.4 client's websockets against a server with PREFECT_SERVER_API_AUTH_STRING set.

PrefectEventsClient opens /events/in with no subprotocol, no Authorization header and no auth
message (upstream's server accepts it so), pings, sends events, pings as a checkpoint and closes.
PrefectEventSubscriber opens /events/out with the "prefect" subprotocol and authenticates in band
with the auth string as its token. httpx then reads the event back with Basic auth.

Usage: auth_events_client.py API_URL AUTH_STRING EVENT_JSON. Prints one JSON report.
"""
import asyncio
import json
import sys

import httpx
import websockets


async def main(api_url, auth_string, event_json):
    ws_base = api_url.replace("http://", "ws://", 1)
    event = json.loads(event_json)
    report = {}

    async with websockets.connect(ws_base + "/events/out", subprotocols=["prefect"]) as subscriber:
        await asyncio.wait_for(await subscriber.ping(), 10)
        await subscriber.send(json.dumps({"type": "auth", "token": auth_string}))
        report["out_auth"] = json.loads(await asyncio.wait_for(subscriber.recv(), 10))["type"]
        await subscriber.send(json.dumps({"type": "filter", "filter": {"event": {"name": [event["event"]]}}, "backfill": False}))
        await asyncio.wait_for(await subscriber.ping(), 10)

        async with websockets.connect(ws_base + "/events/in") as client:
            await asyncio.wait_for(await client.ping(), 10)
            await client.send(event_json)
            await asyncio.wait_for(await client.ping(), 10)
        report["in_close_code"] = client.close_code

        while True:
            message = json.loads(await asyncio.wait_for(subscriber.recv(), 30))
            if message.get("type") == "event":
                report["streamed"] = message["event"]["id"]
                break

    async with websockets.connect(ws_base + "/events/out", subprotocols=["prefect"]) as wrong:
        await wrong.send(json.dumps({"type": "auth", "token": "wrong"}))
        try:
            await asyncio.wait_for(wrong.recv(), 10)
        except websockets.ConnectionClosed as closed:
            report["wrong_token_close"] = [closed.rcvd.code, closed.rcvd.reason]

    with httpx.Client(base_url=api_url, timeout=30, auth=tuple(auth_string.split(":", 1))) as http:
        for _ in range(100):
            found = http.post("/events/filter", json={"filter": {"event": {"name": [event["event"]]}}}).json()
            if found["events"]:
                report["stored"] = [e["id"] for e in found["events"]]
                break
            await asyncio.sleep(0.1)
        report["anonymous_status"] = httpx.post(api_url + "/events/filter", json={}).status_code
    print(json.dumps(report))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3]))
