"""Event-aware retention: past `all`, only the video around analysis events stays; listings and
playlists show the kept fragments with the gaps marked, and the settings API refuses nonsense."""
import json
import subprocess

import boto3
import botocore

from videod import decoded_video_frames, push_command, wait_until

FPS = 15


def two_visits_clip(path):
    """30 s of a still grey picture (2 s GOP); a box crosses it during 4–6 s and 22–24 s."""
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", f"color=c=0x606060:s=320x240:r={FPS}",
         "-f", "lavfi", "-i", f"color=c=white:s=64x64:r={FPS}", "-filter_complex",
         "[0][1]overlay=x='mod(t,2)*120':y=80:enable='between(t,4,6)+between(t,22,24)',format=yuv420p",
         "-t", "30", "-c:v", "libx264", "-preset", "veryfast", "-g", str(2 * FPS), "-keyint_min", str(2 * FPS),
         "-sc_threshold", "0", str(path)], check=True, timeout=120)
    return path


def motion_spans(server, stream):
    kinesis = boto3.client("kinesis", endpoint_url=server.url, region_name="us-east-1", aws_access_key_id="t",
                           aws_secret_access_key="t", config=botocore.config.Config(retries={"max_attempts": 1}))
    events = []
    for shard in kinesis.list_shards(StreamName="videod-events")["Shards"]:
        iterator = kinesis.get_shard_iterator(StreamName="videod-events", ShardId=shard["ShardId"],
                                              ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        out = kinesis.get_records(ShardIterator=iterator, Limit=1000)
        events += [json.loads(r["Data"]) for r in out["Records"] if r["PartitionKey"] == stream]
    return [(e["motion"]["startTimestamp"], e["producerTimestamp"]) for e in events if e["eventType"] == "MOTION_END"]


def test_past_all_only_fragments_around_events_stay_with_gaps_marked(fresh_server, tmp_path):
    server = fresh_server("--retention-sweep-seconds", "1")
    clip = two_visits_clip(tmp_path / "visits.mp4")
    subprocess.run(push_command(clip, server.ingest_url("porch"), "mp4"), check=True, capture_output=True, timeout=120)
    server.wait_idle("porch")
    assert wait_until(lambda: len(motion_spans(server, "porch")) == 2, 60), motion_spans(server, "porch")
    spans = motion_spans(server, "porch")
    before = server.fragments("porch", page_size=100)
    assert len(before) == 15

    status, _, body = server.request("PUT", "/streams/porch/retention",
                                     data=json.dumps({"all": "2s", "events": "1h", "eventPadding": 1}).encode())
    assert status == 200, body
    assert server.json("/streams/porch/retention") == {"all": "2s", "events": "1h", "eventPadding": 1}

    padding = 1.0

    def near_event(fragment):
        start, end = fragment["producerTimestamp"], fragment["producerTimestamp"] + fragment["duration"]
        return any(s - padding < end and start < e + padding for s, e in spans)

    expected = [f["number"] for f in before if near_event(f)]
    assert 4 <= len(expected) <= 10, (spans, expected)
    assert wait_until(lambda: [f["number"] for f in server.fragments("porch", page_size=100)] == expected, 30)
    kept = server.fragments("porch", page_size=100)
    # The first fragment of the second visit follows removed ones: marked as a gap; inside a visit, none.
    numbers = [f["number"] for f in before]
    marks = [f["discontinuity"] for f in kept]
    gap_after = [numbers.index(b["number"]) - numbers.index(a["number"]) > 1 for a, b in zip(kept, kept[1:])]
    assert sum(gap_after) == 1, (spans, expected)
    assert marks[1:] == gap_after and marks[0] is False, (marks, gap_after)
    # Kept fragments still read back whole (their files may have been rewritten).
    for fragment in kept:
        status, _, body = server.request("GET", f"/streams/porch/fragments/{fragment['number']}")
        assert status == 200
        (tmp_path / "kept.mp4").write_bytes(body)
        assert decoded_video_frames(tmp_path / "kept.mp4") == round(fragment["duration"] * FPS)

    # An HLS session over the whole range plays the kept fragments, the gap marked once.
    kvs = boto3.client("kinesis-video-archived-media", endpoint_url=server.url, region_name="us-east-1",
                       aws_access_key_id="t", aws_secret_access_key="t")
    first, last = before[0]["producerTimestamp"], before[-1]["producerTimestamp"] + 2
    url = kvs.get_hls_streaming_session_url(
        StreamName="porch", PlaybackMode="ON_DEMAND", DiscontinuityMode="ON_DISCONTINUITY",
        HLSFragmentSelector={"FragmentSelectorType": "PRODUCER_TIMESTAMP",
                             "TimestampRange": {"StartTimestamp": first, "EndTimestamp": last}})["HLSStreamingSessionURL"]
    status, _, master = server.request("GET", url[len(server.url):])
    assert status == 200
    media_path = next(line for line in master.decode().splitlines() if line and not line.startswith("#"))
    base = url[len(server.url):].rsplit("/", 1)[0]
    status, _, playlist = server.request("GET", f"{base}/{media_path}")
    assert status == 200
    text = playlist.decode()
    assert text.count("#EXTINF") == len(kept) and text.count("#EXT-X-DISCONTINUITY\n") == 1, text


def test_retention_settings_refuse_nonsense(server, clips):
    subprocess.run(push_command(clips["short"], server.ingest_url("ret-bad"), "mp4"), check=True, capture_output=True,
                   timeout=120)
    server.wait_idle("ret-bad")
    for body in [b"[]", b"{not json", json.dumps({"all": "3 days"}).encode(), json.dumps({"events": "3d"}).encode(),
                 json.dumps({"all": "3d", "events": "1d"}).encode(), json.dumps({"all": 3}).encode(),
                 json.dumps({"all": "1d", "events": "2d", "eventPadding": 1e9}).encode(),
                 json.dumps({"maxBytes": "50%"}).encode(), json.dumps({"al": "3d"}).encode()]:
        status, _, answer = server.request("PUT", "/streams/ret-bad/retention", data=body)
        assert status == 400, (body, status, answer)
        assert json.loads(answer)["error"] == "InvalidArgument", answer
    assert server.json("/streams/ret-bad/retention") == {}
    assert server.request("PUT", "/streams/nope/retention", data=b"{}")[0] == 404
    # {} clears what was set.
    assert server.request("PUT", "/streams/ret-bad/retention", data=json.dumps({"maxBytes": "10G"}).encode())[0] == 200
    assert server.json("/streams/ret-bad/retention") == {"maxBytes": "10G"}
    assert server.request("PUT", "/streams/ret-bad/retention", data=b"{}")[0] == 200
    assert server.json("/streams/ret-bad/retention") == {}
