"""Following a data stream as Server-Sent Events, and resuming with Last-Event-ID."""
import json
import queue
import socket
import threading
import time
import urllib.request

import boto3


class SSEReader:
    """Reads `record` events from an SSE response on a thread."""

    def __init__(self, url, headers=None):
        self.events = queue.Queue()
        self.response = urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=30)
        assert self.response.headers["Content-Type"] == "text/event-stream"
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self):
        event = {}
        try:
            for raw in self.response:
                line = raw.decode().rstrip("\n")
                if line == "":
                    if event.get("event") == "record":
                        self.events.put((event["id"], json.loads(event["data"]), time.time()))
                    event = {}
                elif not line.startswith(":"):
                    key, _, value = line.partition(": ")
                    event[key] = value
        except Exception:
            pass

    def take(self, n, timeout=10):
        return [self.events.get(timeout=timeout) for _ in range(n)]

    def close(self):
        # Shut the socket down first: closing the response alone waits on the reader thread.
        try:
            self.response.fp.raw._sock.shutdown(socket.SHUT_RDWR)
        except Exception:
            pass
        self.response.close()


def test_events_are_pushed_on_append_and_resume_from_last_event_id(server):
    k = boto3.client("kinesis", endpoint_url=server.url, region_name="us-east-1",
                     aws_access_key_id="t", aws_secret_access_key="t")
    k.create_stream(StreamName="sse", ShardCount=2)
    reader = SSEReader(f"{server.url}/datastreams/sse/events")
    try:
        time.sleep(0.3)
        sent = []
        for i in range(6):
            put_at = time.time()
            out = k.put_record(StreamName="sse", Data=json.dumps({"n": i}).encode(), PartitionKey=f"cam{i % 3}")
            sent.append((out["SequenceNumber"], put_at))
        events = reader.take(6)
    finally:
        reader.close()
    assert sorted(e[1]["data"]["n"] for e in events) == list(range(6))
    assert {e[1]["sequenceNumber"] for e in events} == {s for s, _ in sent}
    by_seq = {e[1]["sequenceNumber"]: e[2] for e in events}
    assert max(by_seq[s] - t for s, t in sent) < 2.0, "delivery waits on appends, not on a slow poll"

    # Resume after the third event: exactly the other three arrive, then new ones.
    resume_id = events[2][0]
    again = SSEReader(f"{server.url}/datastreams/sse/events", headers={"Last-Event-ID": resume_id})
    try:
        rest = again.take(3)
        assert sorted(e[1]["data"]["n"] for e in rest) == sorted(e[1]["data"]["n"] for e in events[3:])
        k.put_record(StreamName="sse", Data=b"not json", PartitionKey="x")
        (_, last, _), = again.take(1)
        assert last["dataBase64"] == "bm90IGpzb24="
        assert again.events.empty()
    finally:
        again.close()

    everything = SSEReader(f"{server.url}/datastreams/sse/events?from=trim_horizon")
    try:
        assert len(everything.take(7)) == 7
    finally:
        everything.close()


def test_events_for_unknown_stream_is_404(server):
    status, _, body = server.request("GET", "/datastreams/none/events")
    assert status == 404 and json.loads(body)["error"] == "ResourceNotFound"
