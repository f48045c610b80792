"""Clips: a time range as one progressive MP4 (index first), natively with HTTP Range requests
for browsers' seeking and through boto3's GetClip; ffprobe reads the pushed frames back."""
import datetime
import struct
import time
import urllib.error
import urllib.request

import boto3
import botocore
import pytest

from videod import decoded_video_frames, ffprobe_json

KW = dict(region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test",
          config=botocore.config.Config(retries={"max_attempts": 1}))


@pytest.fixture
def archive(server):
    return boto3.client("kinesis-video-archived-media", endpoint_url=server.url, **KW)


def top_level_boxes(data):
    out, offset = [], 0
    while offset + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[offset:offset + 8])
        if size == 1:
            size = struct.unpack(">Q", data[offset + 8:offset + 16])[0]
        out.append(kind.decode())
        offset += size
    return out


def get(url, headers=None):
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=60) as response:
        return response.status, response.headers, response.read()


def test_native_clip_is_index_first_and_serves_byte_ranges(server, clips, tmp_path):
    server.push(clips["h264"], "clip-native", "mp4")
    url = f"{server.url}/streams/clip-native/clip.mp4"
    status, headers, whole = get(url)
    assert status == 200 and headers["Content-Type"] == "video/mp4" and headers["Accept-Ranges"] == "bytes"
    assert int(headers["Content-Length"]) == len(whole)
    assert top_level_boxes(whole) == ["ftyp", "moov", "mdat"]
    path = tmp_path / "clip.mp4"
    path.write_bytes(whole)
    assert decoded_video_frames(path) == 300
    assert abs(float(ffprobe_json(path, "-show_entries", "format=duration")["format"]["duration"]) - 20) < 0.3
    # Ranges as a browser asks them: pieces that put together are the file.
    status, headers, first = get(url, {"Range": "bytes=0-99999"})
    assert status == 206 and headers["Content-Range"] == f"bytes 0-99999/{len(whole)}" and first == whole[:100000]
    _, _, rest = get(url, {"Range": "bytes=100000-"})
    assert first + rest == whole
    _, _, tail = get(url, {"Range": "bytes=-777"})
    assert tail == whole[-777:]
    with pytest.raises(urllib.error.HTTPError) as refused:
        get(url, {"Range": f"bytes={len(whole)}-"})
    assert refused.value.code == 416 and refused.value.headers["Content-Range"] == f"bytes */{len(whole)}"
    # ffprobe reads the clip over HTTP, seeking with ranges.
    assert decoded_video_frames(url) == 300


def test_a_sub_range_starts_at_its_key_frame(server, archive, clips, tmp_path):
    server.push(clips["h264"], "clip-range", "mp4")
    listed = sorted(archive.list_fragments(StreamName="clip-range", FragmentSelector={
        "FragmentSelectorType": "SERVER_TIMESTAMP", "TimestampRange": {"StartTimestamp": 0, "EndTimestamp": time.time() + 60}})
        ["Fragments"], key=lambda f: f["ProducerTimestamp"])
    start = (listed[3]["ProducerTimestamp"] + datetime.timedelta(seconds=1)).timestamp()
    end = (listed[5]["ProducerTimestamp"] + datetime.timedelta(seconds=1)).timestamp()
    status, headers, data = get(f"{server.url}/streams/clip-range/clip.mp4?start={start}&end={end}")
    assert headers["X-Videod-Fragments"] == "3"
    path = tmp_path / "part.mp4"
    path.write_bytes(data)
    assert decoded_video_frames(path) == 90


def test_get_clip_returns_the_same_mp4_and_kvs_errors(server, archive, clips):
    kv = boto3.client("kinesisvideo", endpoint_url=server.url, **KW)
    server.push(clips["short"], "clip-kvs", "mp4")
    selector = {"FragmentSelectorType": "SERVER_TIMESTAMP",
                "TimestampRange": {"StartTimestamp": time.time() - 120, "EndTimestamp": time.time() + 5}}
    response = archive.get_clip(StreamName="clip-kvs", ClipFragmentSelector=selector)
    assert response["ContentType"] == "video/mp4"
    payload = response["Payload"].read()
    _, _, native = get(f"{server.url}/streams/clip-kvs/clip.mp4")
    assert payload == native
    kv.create_stream(StreamName="clip-empty", DataRetentionInHours=1)
    kv.create_stream(StreamName="clip-nothing-kept", DataRetentionInHours=0)
    with pytest.raises(archive.exceptions.ResourceNotFoundException):
        archive.get_clip(StreamName="clip-empty", ClipFragmentSelector=selector)
    with pytest.raises(archive.exceptions.NoDataRetentionException):
        archive.get_clip(StreamName="clip-nothing-kept", ClipFragmentSelector=selector)
    with pytest.raises(archive.exceptions.InvalidArgumentException):
        archive.get_clip(StreamName="clip-kvs", ClipFragmentSelector={
            "FragmentSelectorType": "SERVER_TIMESTAMP",
            "TimestampRange": {"StartTimestamp": time.time(), "EndTimestamp": time.time() - 3600}})
    with pytest.raises(urllib.error.HTTPError) as refused:
        get(f"{server.url}/streams/clip-empty/clip.mp4")
    assert refused.value.code == 404


def test_range_requests_reuse_the_layout_until_the_range_holds_other_fragments(server, clips):
    server.push(clips["short"], "clip-layout", "mp4")
    url = f"{server.url}/streams/clip-layout/clip.mp4"
    _, headers, whole = get(url)
    assert headers["X-Videod-Clip-Layout"] == "made"
    _, headers, part = get(url, {"Range": "bytes=1000-1999"})
    assert headers["X-Videod-Clip-Layout"] == "cached" and part == whole[1000:2000]
    # More video in the (open-ended) range: another set of fragments, so a new layout and a longer file.
    server.push(clips["short"], "clip-layout", "mp4")
    _, headers, longer = get(url)
    assert headers["X-Videod-Clip-Layout"] == "made" and len(longer) > len(whole) * 1.5
    assert decoded_video_frames(url) == 180
