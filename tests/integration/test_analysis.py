"""Frame analysis end to end: a real ffmpeg push, events read back with a real boto3 `kinesis`
client, resolved to stored fragments; the settings API; accuracy on a corpus subset."""
import json
import pathlib
import sys

import boto3
import botocore
import pytest
from prometheus_client.parser import text_string_to_metric_families

from videod import BIN, wait_until

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "corpus"))
import corpus  # noqa: E402
import evaluate  # noqa: E402


@pytest.fixture(scope="module")
def corpus_clips(tmp_path_factory):
    return {c["name"]: c for c in corpus.build(tmp_path_factory.mktemp("corpus"), 480, 270, names=corpus.SUBSET)}


def kinesis_client(server):
    return boto3.client("kinesis", endpoint_url=server.url, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test",
                        config=botocore.config.Config(retries={"max_attempts": 1}))


def stream_events(kinesis, stream, data_stream="videod-events"):
    """Every event record for `stream`, in shard order, read with GetShardIterator/GetRecords."""
    events = []
    for shard in kinesis.list_shards(StreamName=data_stream)["Shards"]:
        iterator = kinesis.get_shard_iterator(StreamName=data_stream, ShardId=shard["ShardId"],
                                              ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        while iterator:
            out = kinesis.get_records(ShardIterator=iterator, Limit=1000)
            events += [json.loads(r["Data"]) for r in out["Records"] if r["PartitionKey"] == stream]
            if not out["Records"]:
                break
            iterator = out["NextShardIterator"]
    return events


def test_pushed_motion_becomes_kinesis_events_linked_to_fragments(server, corpus_clips):
    clip = corpus_clips["small_object"]
    server.push(clip["path"], "ana-motion", "mp4")
    kinesis = kinesis_client(server)
    assert wait_until(lambda: any(e["eventType"] == "MOTION_END"
                                  for e in stream_events(kinesis, "ana-motion")), timeout=60)
    events = stream_events(kinesis, "ana-motion")
    assert [e["eventType"] for e in events] == ["MOTION_START", "MOTION_END"], events
    start, end = events
    fragments = server.fragments("ana-motion", page_size=100)
    origin = fragments[0]["producerTimestamp"]
    truth_start, truth_end = clip["motion"][0]
    assert 0 <= start["producerTimestamp"] - origin - truth_start <= 0.5, "onset within 0.5 s"
    assert abs(end["producerTimestamp"] - origin - truth_end) <= 0.5
    assert end["motion"]["durationSeconds"] == pytest.approx(truth_end - truth_start, abs=0.6)
    assert end["motion"]["startTimestamp"] == start["producerTimestamp"]
    assert 0.003 <= end["motion"]["peakArea"] <= 0.05
    box = end["motion"]["boundingBox"]
    assert 0.4 <= box["Top"] <= 0.6 and box["Width"] > 0.3, box
    stream = server.json("/streams/ana-motion")
    for event in events:
        assert event["streamName"] == "ana-motion"
        assert event["streamArn"].startswith("arn:aws:kinesisvideo:us-east-1:000000000000:stream/ana-motion/")
        # The fragment number resolves to a stored fragment that contains the event's instant.
        fragment = next(f for f in fragments if f["number"] == event["fragmentNumber"])
        assert fragment["producerTimestamp"] <= event["producerTimestamp"] < fragment["producerTimestamp"] + fragment["duration"]
        assert event["links"]["fragment"] == f"{server.url}/streams/ana-motion/fragments/{fragment['number']}"
        status, _, body = server.request("GET", event["links"]["fragment"][len(server.url):])
        assert status == 200 and body[4:8] == b"ftyp"
        # The seekable clip around it and the picture at its instant resolve too.
        status, _, body = server.request("GET", event["links"]["clip"][len(server.url):])
        assert status == 200 and body[4:8] == b"ftyp" and b"moov" in body[:4096]
        status, _, body = server.request("GET", event["links"]["image"][len(server.url):])
        assert status == 200 and body[:2] == b"\xff\xd8", "a JPEG"
    assert stream["analysis"]["status"]["eventsPublished"] == 2
    assert stream["analysis"]["status"]["framesDecoded"] > 0

    # The same events, for a time range, from the native API.
    listed = server.json(f"/streams/ana-motion/events?start={origin}&end={origin + 60}")["events"]
    assert [e["eventId"] for e in listed] == [e["eventId"] for e in events]
    assert server.json(f"/streams/ana-motion/events?start={origin + 20}")["events"] == []


def pushed_scene_changes(server, clip, stream, container, count):
    """Pushes `clip`, waits for `count` SCENE_CHANGE records in the events stream (read with
    boto3); returns them and the stream's first producer time."""
    server.push(clip["path"], stream, container)
    kinesis = kinesis_client(server)
    changes = lambda: [e for e in stream_events(kinesis, stream) if e["eventType"] == "SCENE_CHANGE"]
    assert wait_until(lambda: len(changes()) >= count, timeout=60)
    return changes(), server.fragments(stream, page_size=100)[0]["producerTimestamp"]


def test_scene_cuts_are_published_on_the_right_frame(server, corpus_clips):
    clip = corpus_clips["hard_cuts"]
    cuts, origin = pushed_scene_changes(server, clip, "ana-cuts", "matroska", 2)
    frames = [round((e["producerTimestamp"] - origin) * clip["fps"]) for e in cuts]
    assert len(frames) == len(clip["cuts"]) and all(abs(f - t) <= 2 for f, t in zip(frames, clip["cuts"])), frames
    assert all(e["sceneChange"]["score"] > 2 and e["sceneChange"]["transition"] == "cut" for e in cuts)


def test_fades_are_published_as_gradual_scene_changes_with_their_span(server, corpus_clips):
    clip = corpus_clips["fades"]
    events, origin = pushed_scene_changes(server, clip, "ana-fades", "mp4", 2)
    changes = [e["sceneChange"] | {"at": e["producerTimestamp"]} for e in events]
    assert [c["transition"] for c in changes] == ["gradual", "gradual"], changes
    for change, (start, end) in zip(changes, clip["gradual"]):
        assert change["startTimestamp"] == change["at"]
        assert abs(change["startTimestamp"] - origin - start) <= 0.2 and abs(change["endTimestamp"] - origin - end) <= 0.2, changes


def test_analysis_settings_validate_persist_and_disable(server, corpus_clips):
    status, _, body = server.request("PUT", "/streams/ana-settings/analysis", b'{"enabled": false}')
    assert status == 404 and json.loads(body)["error"] == "ResourceNotFound"
    status, _, _ = server.request("PUT", "/streams/ana-settings", json.dumps({"analysis": {"enabled": False}}).encode())
    assert status == 201
    for bad, words in [(b"{not json", "JSON object"), (b'{"sensitivty": 0.5}', "unknown analysis setting"),
                       (b'{"sensitivity": 3}', "sensitivity"), (b'{"detectors": ["faces"]}', "detectors"),
                       (b'{"mask": [[[0, 0], [1, 1]]]}', "3 points")]:
        status, _, body = server.request("PUT", "/streams/ana-settings/analysis", bad)
        assert status == 400, bad
        reply = json.loads(body)
        assert reply["error"] == "InvalidArgument" and words in reply["message"], reply
    assert server.json("/streams/ana-settings/analysis")["settings"]["enabled"] is False
    server.push(corpus_clips["small_object"]["path"], "ana-settings", "mp4")
    assert server.json("/streams/ana-settings")["analysis"].get("status") is None, "a disabled stream is not analysed"
    assert stream_events(kinesis_client(server), "ana-settings") == []

    mask = [[[0, 0.3], [1, 0.3], [1, 0.8], [0, 0.8]]]
    status, _, body = server.request("PUT", "/streams/ana-settings/analysis",
                                     json.dumps({"mask": mask, "dataStream": "ana-masked", "eventGap": 1}).encode())
    assert status == 200, body
    settings = server.json("/streams/ana-settings/analysis")["settings"]
    assert settings["enabled"] and settings["mask"] == mask and settings["dataStream"] == "ana-masked"
    # The object moves inside the masked band: analysed, but nothing fires.
    server.push(corpus_clips["small_object"]["path"], "ana-settings", "mp4")
    assert wait_until(lambda: not server.json("/streams/ana-settings")["analysis"]["status"]["running"], timeout=60)
    assert server.json("/streams/ana-settings")["analysis"]["status"]["framesDecoded"] > 0
    assert server.json("/streams/ana-settings/events")["events"] == []


def test_corpus_subset_accuracy(corpus_clips):
    """Asserted floor on a small labelled subset; the full corpus is scripts/bench-analysis."""
    clips = list(corpus_clips.values())
    rows, motion, cuts, latencies = evaluate.score(clips, lambda c: evaluate.analyse(BIN, c)[0])
    report = json.dumps(rows, indent=1)
    assert motion.f1 >= 0.95, report
    assert cuts.f1 >= 0.95, report
    gradual = evaluate.gradual_tally(rows)
    assert gradual.truth >= 2 and gradual.f1 >= 0.95, report
    assert latencies and max(latencies) <= 0.5, latencies
    for row in rows:
        if row["kind"] == "distractor":
            assert row["motion"]["detected"] == [] and row.get("cuts", {}).get("detected", []) == [], row


@pytest.mark.parametrize("encoding, state", [("camera-vbr", "gating"), ("camera-cbr", "decoding-all")])
def test_decode_gate_skips_quiet_gops_of_a_pushed_camera_and_says_so(server, tmp_path, encoding, state):
    """A fixed camera (10 quiet seconds, then two visits) encoded as cameras do: at a variable
    bitrate the gate leaves quiet GOPs undecoded and the visits still start on time; at a
    constant bitrate it decodes everything and says why. Status and /metrics agree."""
    clip = corpus.build(tmp_path, 480, 270, names=["two_visits"], encoding=encoding, lead=10)[0]
    name = f"ana-gate-{encoding}"
    server.push(clip["path"], name, "mp4")
    kinesis = kinesis_client(server)
    assert wait_until(lambda: sum(e["eventType"] == "MOTION_END" for e in stream_events(kinesis, name)) == 2, timeout=60)
    origin = server.fragments(name, page_size=100)[0]["producerTimestamp"]
    starts = [e["producerTimestamp"] - origin for e in stream_events(kinesis, name) if e["eventType"] == "MOTION_START"]
    for onset, (truth, _) in zip(starts, clip["motion"]):
        assert 0 <= onset - truth <= 0.5, (starts, clip["motion"])
    assert wait_until(lambda: not server.json(f"/streams/{name}")["analysis"]["status"]["running"], timeout=30)
    status = server.json(f"/streams/{name}")["analysis"]["status"]
    assert status["decodeGate"] == state, status
    if state == "gating":
        assert status["picturesSkipped"] > 30 and status["decodedShare"] < 0.9, status
        assert "decodeGateReason" not in status or status["decodeGateReason"] is None
    else:
        assert status["picturesSkipped"] == 0 and status["decodedShare"] == 1, status
        assert "constant bitrate" in status["decodeGateReason"]
    code, _, body = server.request("GET", "/metrics")
    assert code == 200
    metrics = {(s.name, tuple(sorted(s.labels.items()))): s.value
               for f in text_string_to_metric_families(body.decode()) for s in f.samples}
    assert metrics[("videod_analysis_pictures_skipped_total", (("stream", name),))] == status["picturesSkipped"]
    assert metrics[("videod_analysis_decode_gate", (("state", state), ("stream", name)))] == 1
