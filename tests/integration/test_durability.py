"""Acknowledged means durable: kill -9 at random moments while cameras push and a producer puts
records, and a data directory that fills up. After each restart everything acknowledged before
the kill reads back intact, no torn fragment is served and numbering carries on."""
import json
import os
import random
import signal
import subprocess
import threading
import time

import boto3
import botocore
import pytest

from videod import Videod, decoded_video_frames, push_command, wait_until

KILLS = int(os.environ.get("VIDEOD_KILLS", "50"))
STREAMS = ["k0", "k1", "k2", "k3"]
SHARDS = ["shardId-000000000000", "shardId-000000000001"]


def kinesis_for(server):
    return boto3.client("kinesis", endpoint_url=server.url, region_name="us-east-1", aws_access_key_id="t",
                        aws_secret_access_key="t", config=botocore.config.Config(retries={"max_attempts": 1},
                                                                                 read_timeout=10, connect_timeout=5))


class Producer(threading.Thread):
    """Puts batches of records until stopped; keeps the ones the server acknowledged."""

    def __init__(self, server, acknowledged, generation):
        super().__init__(daemon=True)
        self.kinesis, self.acknowledged, self.generation = kinesis_for(server), acknowledged, generation
        self.stop = threading.Event()

    def run(self):
        i = 0
        while not self.stop.is_set():
            batch = [f"{self.generation}-{i}-{j}".encode() for j in range(20)]
            try:
                out = self.kinesis.put_records(StreamName="durable", Records=[
                    {"Data": data, "PartitionKey": f"key{j % 7}"} for j, data in enumerate(batch)])
            except Exception:
                return  # the server died mid-call: this batch was never acknowledged
            self.acknowledged.update((r["SequenceNumber"], data) for r, data in zip(out["Records"], batch)
                                     if "SequenceNumber" in r)
            i += 1
            time.sleep(0.02)  # a steady producer, not a flood: the check after each kill reads everything


def stored_records(server):
    kinesis = kinesis_for(server)
    stored = {}
    for shard in SHARDS:
        it = kinesis.get_shard_iterator(StreamName="durable", ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        while True:
            page = kinesis.get_records(ShardIterator=it, Limit=10000)
            stored.update((r["SequenceNumber"], r["Data"]) for r in page["Records"])
            if not page["Records"]:
                break
            it = page["NextShardIterator"]
    return stored


def listed(server, stream):
    status, _, _ = server.request("GET", f"/streams/{stream}")
    return {f["number"]: f["size"] for f in server.fragments(stream, page_size=1000)} if status == 200 else {}


def test_kill_9_loop_loses_nothing_acknowledged(tmp_path, clips):
    data = tmp_path / "data"
    rng = random.Random(2026)
    acknowledged_fragments = {stream: {} for stream in STREAMS}
    acknowledged_records = set()
    highest = 0
    server = Videod(data).start()
    kinesis_for(server).create_stream(StreamName="durable", ShardCount=2)
    try:
        for kill in range(KILLS):
            pushes = [subprocess.Popen(push_command(clips["h264"], server.ingest_url(stream), "mpegts", realtime=True),
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for stream in STREAMS]
            producer = Producer(server, acknowledged_records, kill)
            producer.start()
            time.sleep(rng.uniform(1.0, 4.5))
            # What readers can see now is acknowledged: it must survive the kill.
            for stream in STREAMS:
                acknowledged_fragments[stream].update(listed(server, stream))
            time.sleep(rng.uniform(0, 0.5))
            server.process.send_signal(signal.SIGKILL)
            server.process.wait()
            producer.stop.set()
            producer.join(30)
            for push in pushes:
                push.kill()
                push.wait()

            server = Videod(data).start()
            new_numbers = []
            for stream in STREAMS:
                now = listed(server, stream)
                for number, size in acknowledged_fragments[stream].items():
                    assert now.get(number) == size, f"kill {kill}: fragment {number} of {stream} lost or changed"
                new_numbers += [int(n) for n in now if int(n) > highest]
                # The newest fragment (the one a kill could have torn) is whole and decodes.
                for number in sorted(now, key=int)[-1:]:
                    status, _, body = server.request("GET", f"/streams/{stream}/fragments/{number}")
                    assert status == 200, (kill, stream, number)
                    clip = tmp_path / "check.mp4"
                    clip.write_bytes(body)
                    assert decoded_video_frames(clip) > 0, (kill, stream, number)
            if new_numbers:
                assert min(new_numbers) > highest, "fragment numbers are never reused"
                highest = max(new_numbers)
            stored = stored_records(server)
            missing = [seq for seq, payload in acknowledged_records if stored.get(seq) != payload]
            assert not missing, f"kill {kill}: {len(missing)} acknowledged records lost or changed"
        assert sum(len(v) for v in acknowledged_fragments.values()) >= KILLS, "the loop must have stored fragments"
        assert len(acknowledged_records) > KILLS * 20
        print(f"kill loop: {KILLS} kills, {sum(len(v) for v in acknowledged_fragments.values())} fragments and "
              f"{len(acknowledged_records)} records acknowledged, all intact after every restart")
    finally:
        server.stop()


@pytest.fixture
def small_volume(tmp_path):
    """A 40 MB tmpfs as the data directory (needs root, as CI has; skipped otherwise)."""
    mount = tmp_path / "volume"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=40m", "tmpfs", str(mount)], capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_a_full_disk_ends_pushes_cleanly_and_ingest_resumes_when_space_is_freed(small_volume, clips, tmp_path):
    transport_stream = tmp_path / "clip.ts"
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", str(clips["h264"]), "-c", "copy", "-f", "mpegts",
                    str(transport_stream)], check=True, timeout=60)
    body = transport_stream.read_bytes()
    server = Videod(small_volume / "data").start()
    try:
        # Filler that leaves room for a few pushes only: the later ones run into the wall.
        filler = small_volume / "filler"
        with open(filler, "wb") as f:
            f.write(b"\0" * ((40 << 20) - 5 * len(body)))
        acknowledged = {}
        failures = []
        for i in range(8):
            stream = f"full{i}"
            status, _, answer = server.request("POST", f"/streams/{stream}/ingest", data=body,
                                               headers={"Content-Type": "video/mp2t"})
            if status != 200:
                failures.append((status, json.loads(answer)))
            if server.request("GET", f"/streams/{stream}")[0] == 200:
                acknowledged[stream] = listed(server, stream)
        assert failures, "the volume filled up"
        assert all(status == 500 and error["error"] == "StorageError" for status, error in failures), failures
        assert server.request("GET", "/health")[0] == 200
        # Nothing acknowledged is lost: every listed fragment reads back whole.
        for stream, fragments in acknowledged.items():
            for number, size in fragments.items():
                status, _, data = server.request("GET", f"/streams/{stream}/fragments/{number}")
                assert status == 200 and len(data) > size, (stream, number)
        # Space comes back: ingest resumes without a restart.
        filler.unlink()
        server.push(clips["short"], "after-full", "mp4")
        assert len(server.fragments("after-full")) == 3
    finally:
        server.stop()
