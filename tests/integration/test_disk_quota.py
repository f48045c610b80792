"""The disk quota: over `--max-disk-usage` the oldest video goes first, across streams, whole
segment files at a time; reads show what is left; the metrics count what went and why."""
import time
import urllib.request

import boto3
import botocore
import pytest

from videod import wait_until

KW = dict(region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test",
          config=botocore.config.Config(retries={"max_attempts": 1}))


def listed(archive, stream):
    try:
        return archive.list_fragments(StreamName=stream, FragmentSelector={
            "FragmentSelectorType": "SERVER_TIMESTAMP",
            "TimestampRange": {"StartTimestamp": 0, "EndTimestamp": time.time() + 60}})["Fragments"]
    except archive.exceptions.ResourceNotFoundException:
        return []


def test_the_oldest_video_goes_first_across_streams(fresh_server, clips):
    server = fresh_server("--max-disk-usage", "600K", "--retention-sweep-seconds", "1", "--no-analysis")
    archive = boto3.client("kinesis-video-archived-media", endpoint_url=server.url, **KW)
    server.push(clips["short"], "quota-old", "mp4")
    old_size = sum(f["FragmentSizeInBytes"] for f in listed(archive, "quota-old"))
    server.push(clips["short"], "quota-new", "mp4")
    server.push(clips["short"], "quota-new", "mp4")
    new_size = sum(f["FragmentSizeInBytes"] for f in listed(archive, "quota-new"))
    if old_size + new_size <= 600 << 10 or new_size > 600 << 10:
        pytest.skip(f"clip sizes ({old_size}, {new_size}) do not straddle the quota")
    # The older stream's file goes; the newer stream's stays whole.
    assert wait_until(lambda: listed(archive, "quota-old") == [], timeout=30)
    assert sum(f["FragmentSizeInBytes"] for f in listed(archive, "quota-new")) == new_size
    with urllib.request.urlopen(f"{server.url}/metrics", timeout=30) as response:
        text = response.read().decode()
    dropped = [line for line in text.splitlines() if line.startswith('videod_dropped_bytes_total{cause="quota"}')]
    assert dropped and float(dropped[0].split()[-1]) >= old_size
    # The stream is still there, empty, and takes video again.
    server.push(clips["short"], "quota-old", "mp4")
    assert len(listed(archive, "quota-old")) == 3


def test_a_quota_that_is_not_a_size_is_refused_at_start(tmp_path):
    import subprocess
    from videod import BIN
    result = subprocess.run([BIN, "serve", "--data", str(tmp_path / "d"), "--max-disk-usage", "lots"],
                            capture_output=True, timeout=60)
    assert result.returncode != 0 and b"--max-disk-usage" in result.stderr


def test_a_long_push_gives_up_its_oldest_video_and_ready_reports_what_cannot_go(fresh_server, clips):
    """A push runs into one file for days: over the quota its oldest fragments go while it runs
    (their blocks punched out), never its newest; what still cannot go turns /ready to 503."""
    import json
    import subprocess

    from videod import push_command
    server = fresh_server("--max-disk-usage", "150K", "--retention-sweep-seconds", "1", "--no-analysis")
    push = subprocess.Popen(push_command(clips["h264"], server.ingest_url("long"), "mpegts", realtime=True),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # While it pushes, older fragments leave and the newest stays listed.
        assert wait_until(lambda: server.request("GET", "/streams/long")[0] == 200
                          and len(server.fragments("long")) >= 1
                          and int(server.fragments("long")[0]["number"]) > 2, timeout=40)
        fragments = server.fragments("long")
        assert sum(f["size"] for f in fragments) <= 150 << 10 or len(fragments) == 1, fragments
        status, _, body = server.request("GET", f"/streams/long/fragments/{fragments[-1]['number']}")
        assert status == 200
    finally:
        push.wait(60)
    server.wait_idle("long")

    # A quota smaller than one fragment: the file being written keeps its newest, and /ready says so.
    tight = fresh_server("--max-disk-usage", "1K", "--retention-sweep-seconds", "1", "--no-analysis",
                         data=server.data_dir + "-tight")
    push = subprocess.Popen(push_command(clips["h264"], tight.ingest_url("tight"), "mpegts", realtime=True),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        def over():
            status, _, body = tight.request("GET", "/ready")
            return status == 503 and b"over the disk quota" in body
        assert wait_until(over, timeout=30)
        assert json.loads(tight.request("GET", "/ready")[2])["ready"] is False
    finally:
        push.kill()
        push.wait()
    # Once the push ends its file may go whole: within the quota, ready again.
    tight.wait_idle("tight")
    assert wait_until(lambda: tight.request("GET", "/ready")[0] == 200, timeout=30)
