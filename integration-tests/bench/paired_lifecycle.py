#!/usr/bin/env python3
"""Drives two running servers at once with the same run-lifecycle load and prints each one's CPU per request.

Usage: integration-tests/bench-ab.sh REV [clients per server] [seconds per round] [rounds]
   or: integration-tests/bench/paired_lifecycle.py PORT_A,PORT_B PID_A,PID_B [clients per server] [seconds per round] [rounds]

The machine's speed drifts by a third within an hour, so two builds measured one after the other
differ by more than most changes do. Run side by side, both meet the same drift. Each client thread
runs the lifecycle of integration-tests/bench.sh (create a run, Running, Completed, 5 logs, filter);
the CPU is the server process's user + system time (/proc/PID/stat), its JIT compiler and collector
included. A first round of at least 20 s warms both up and is not printed.
"""
import http.client
import json
import os
import sys
import threading
import time


def cpu_ms(pid):
    fields = open('/proc/%d/stat' % pid).read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf('SC_CLK_TCK')


class Client:
    def __init__(self, port):
        self.connection = http.client.HTTPConnection('127.0.0.1', port)

    def post(self, path, body):
        self.connection.request('POST', '/api' + path, json.dumps(body), {'content-type': 'application/json'})
        response = self.connection.getresponse()
        data = response.read()
        if response.status >= 300:
            raise RuntimeError('%s: %d %s' % (path, response.status, data[:200]))
        return json.loads(data) if data else None


def lifecycles(port, flow_id, stop, requests, index):
    client = Client(port)
    done = 0
    while not stop.is_set():
        run = client.post('/flow_runs/', {'flow_id': flow_id, 'state': {'type': 'PENDING'}})['id']
        client.post('/flow_runs/%s/set_state' % run, {'state': {'type': 'RUNNING'}})
        client.post('/flow_runs/%s/set_state' % run, {'state': {'type': 'COMPLETED'}})
        client.post('/logs/', [{'name': 'bench', 'level': 20, 'message': 'log %d' % k,
                                'timestamp': '2026-12-07T00:00:00Z', 'flow_run_id': run} for k in range(5)])
        client.post('/flow_runs/filter', {'flow_runs': {'id': {'any_': [run]}}})
        done += 5
    requests[index] += done


def main():
    ports = [int(p) for p in sys.argv[1].split(',')]
    pids = [int(p) for p in sys.argv[2].split(',')]
    clients = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 20
    rounds = int(sys.argv[5]) if len(sys.argv) > 5 else 6
    flows = [Client(p).post('/flows/', {'name': 'paired-bench'})['id'] for p in ports]

    def one_round(duration):
        stop = threading.Event()
        requests = [0] * len(ports)
        before = [cpu_ms(p) for p in pids]
        threads = [threading.Thread(target=lifecycles, args=(ports[i], flows[i], stop, requests, i))
                   for i in range(len(ports)) for _ in range(clients)]
        for t in threads:
            t.start()
        time.sleep(duration)
        stop.set()
        for t in threads:
            t.join()
        time.sleep(0.5)  # the emitted events' last batch
        after = [cpu_ms(p) for p in pids]
        return [(after[i] - before[i]) / max(1, requests[i]) for i in range(len(ports))], requests

    one_round(max(20.0, seconds))
    print('round' + ''.join('   server %d: CPU ms/request  requests' % (i + 1) for i in range(len(ports))))
    for r in range(rounds):
        ms, requests = one_round(seconds)
        print('%5d' % (r + 1) + ''.join('   %24.3f  %8d' % (ms[i], requests[i]) for i in range(len(ports))), flush=True)


if __name__ == '__main__':
    main()
