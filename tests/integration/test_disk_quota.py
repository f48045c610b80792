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
