"""Operations: `GET /metrics` read by Prometheus's own Python parser after real pushes and
requests (per-stream ingest counters equal to what ListFragments lists, requests by route family
and status, analysis and process figures), and `GET /ready`."""
import json
import pathlib
import re
import subprocess
import time
import urllib.error
import urllib.request

import boto3
import botocore
import pytest
from prometheus_client.parser import text_string_to_metric_families

from videod import push_command, wait_until

KW = dict(region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test",
          config=botocore.config.Config(retries={"max_attempts": 1}))


def scrape(server):
    with urllib.request.urlopen(f"{server.url}/metrics", timeout=30) as response:
        assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        text = response.read().decode()
    samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))))


def test_metrics_count_what_was_stored_and_served(fresh_server, clips):
    server = fresh_server()
    server.push(clips["h264"], "metered", "mp4")
    archive = boto3.client("kinesis-video-archived-media", endpoint_url=server.url, **KW)
    listed = archive.list_fragments(StreamName="metered", FragmentSelector={
        "FragmentSelectorType": "SERVER_TIMESTAMP", "TimestampRange": {"StartTimestamp": 0, "EndTimestamp": time.time() + 60}})["Fragments"]
    before = scrape(server)
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(f"{server.url}/streams/no-such-stream", timeout=30)
    samples = scrape(server)
    assert value(samples, "videod_ingest_fragments_total", stream="metered") == len(listed) == 10
    assert value(samples, "videod_ingest_bytes_total", stream="metered") == sum(f["FragmentSizeInBytes"] for f in listed)
    assert value(samples, "videod_fragment_store_latency_seconds_count", stream="metered") == 10
    assert value(samples, "videod_ingest_sessions") == 0
    # Requests by family and status: the push, the ListFragments call, the 404.
    assert value(samples, "videod_http_requests_total", family="ingest", method="POST", status="200") == 1
    assert value(samples, "videod_http_requests_total", family="kinesisvideo", method="POST", status="200") >= 1
    not_found = ("videod_http_requests_total", dict(family="native", method="GET", status="404"))
    assert value(samples, not_found[0], **not_found[1]) == (value(before, not_found[0], **not_found[1]) or 0) + 1
    assert value(samples, "videod_http_request_duration_seconds_count", family="native") >= 1
    # Analysis is on by default: the counters say what the stream's analysis status says.
    def analysis_agrees():
        status = server.json("/streams/metered")["analysis"]["status"]
        scraped = scrape(server)
        return status["framesDecoded"] > 0 and (
            value(scraped, "videod_analysis_frames_decoded_total", stream="metered") == status["framesDecoded"]
            and value(scraped, "videod_analysis_events_published_total", stream="metered") == status["eventsPublished"])
    assert wait_until(analysis_agrees)
    assert value(samples, "videod_process_open_fds") > 0 and value(samples, "videod_process_threads") > 1
    assert value(samples, "videod_process_resident_memory_bytes") > 1 << 20
    assert 0 < value(samples, "videod_disk_free_bytes") <= value(samples, "videod_disk_total_bytes")
    # Counters only grow: a second scrape after another request.
    urllib.request.urlopen(f"{server.url}/streams/metered", timeout=30).read()
    again = scrape(server)
    assert value(again, "videod_http_requests_total", family="native", method="GET", status="200") >= 1
    assert value(again, "videod_ingest_fragments_total", stream="metered") == 10


def test_data_stream_records_put_and_read_are_counted_per_stream(server):
    kinesis = boto3.client("kinesis", endpoint_url=server.url, **KW)
    kinesis.create_stream(StreamName="metered-records", ShardCount=1)
    kinesis.put_records(StreamName="metered-records", Records=[{"Data": b"x", "PartitionKey": str(i)} for i in range(3)])
    kinesis.put_record(StreamName="metered-records", Data=b"y", PartitionKey="p")
    shard = kinesis.list_shards(StreamName="metered-records")["Shards"][0]["ShardId"]
    iterator = kinesis.get_shard_iterator(StreamName="metered-records", ShardId=shard,
                                          ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    assert len(kinesis.get_records(ShardIterator=iterator)["Records"]) == 4
    samples = scrape(server)
    assert value(samples, "videod_kds_records_put_total", stream="metered-records") == 4
    assert value(samples, "videod_kds_records_read_total", stream="metered-records") == 4
    assert value(samples, "videod_http_requests_total", family="kinesis", method="POST", status="200") >= 6


def test_live_sources_show_their_bitrate_while_receiving(fresh_server, clips):
    server = fresh_server("--no-analysis")
    push = subprocess.Popen(push_command(clips["short"], server.ingest_url("metered-live"), "mpegts", realtime=True),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        def receiving():
            samples = scrape(server)
            return (value(samples, "videod_ingest_sessions_by_protocol", protocol="http") == 1
                    and (value(samples, "videod_ingest_bitrate_bits_per_second", stream="metered-live") or 0) > 10_000)
        assert wait_until(receiving, timeout=20)
    finally:
        assert push.wait(60) == 0
    server.wait_idle("metered-live")
    samples = scrape(server)
    assert value(samples, "videod_ingest_sessions_by_protocol", protocol="http") == 0
    assert value(samples, "videod_ingest_bitrate_bits_per_second", stream="metered-live") == 0


def test_metrics_need_credentials_when_keys_are_set(fresh_server):
    server = fresh_server("--access-key", "AKMETRICS", "--secret-key", "s3cret")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{server.url}/metrics", timeout=30)
    assert refused.value.code in (401, 403)


def test_ready_says_whether_the_store_can_take_video(fresh_server, tmp_path):
    data = tmp_path / "ready-data"
    server = fresh_server(data=data)

    def ready():
        try:
            with urllib.request.urlopen(f"{server.url}/ready", timeout=30) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as refused:
            return refused.code, json.load(refused)

    assert ready() == (200, {"ready": True})
    # The data directory goes away under the server (a volume unmounted): not ready, and why.
    data.rename(tmp_path / "moved")
    try:
        status, body = ready()
        assert status == 503 and body["ready"] is False and "not writable" in body["problems"][0]
    finally:
        (tmp_path / "moved").rename(data)
    assert ready() == (200, {"ready": True})


def test_the_sample_dashboard_only_names_metrics_videod_exports():
    root = pathlib.Path(__file__).resolve().parents[2]
    dashboard = json.loads((root / "ops" / "grafana-dashboard.json").read_text())
    exprs = [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]
    named = {re.sub(r"_(bucket|count|sum)$", "", name) for expr in exprs for name in re.findall(r"videod_[a-z_]+", expr)}
    sources = "".join(path.read_text() for path in (root / "Sources" / "VideodServer" / "Metrics").glob("*.swift"))
    assert named and all(f'"{name}"' in sources for name in named), sorted(n for n in named if f'"{n}"' not in sources)
