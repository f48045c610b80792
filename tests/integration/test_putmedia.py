"""PutMedia as the KVS producer SDK speaks it: Matroska streamed in a chunked POST, JSON acks read
back on the same connection while sending; stored fragments follow the producer's clusters and
decode to the frames pushed; bad input ends in KVS's ERROR acks without harming other streams."""
import random
import subprocess
import threading
import time
import urllib.request

import boto3
import botocore
import pytest

from putmedia_client import PutMedia
from videod import decoded_video_frames, make_clip, wait_until

KW = dict(region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test",
          config=botocore.config.Config(retries={"max_attempts": 1}))


@pytest.fixture
def kv(server):
    return boto3.client("kinesisvideo", endpoint_url=server.url, **KW)


def matroska(clip, cluster_ms=2000, cluster_bytes=None):
    """The clip re-muxed as a live producer writes it: Matroska to a pipe, clusters of at most
    `cluster_ms` (starting at key frames when the GOP is as long) and `cluster_bytes` (ffmpeg's
    default for a pipe is 32 KB, which cuts clusters mid-GOP)."""
    size = ["-cluster_size_limit", str(cluster_bytes)] if cluster_bytes else []
    out = subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", str(clip), "-c", "copy",
                          "-f", "matroska", "-cluster_time_limit", str(cluster_ms), *size, "pipe:1"],
                         capture_output=True, check=True, timeout=120)
    return out.stdout


def put(server, stream, data, start, pause=0.01, **kwargs):
    client = PutMedia(server.url, stream=stream, start=start, **kwargs)
    client.send(data, chunk=8192, pause=pause)
    return client.finish()


def media_of(server, stream, tmp_path):
    path = tmp_path / f"{stream}.mp4"
    with urllib.request.urlopen(f"{server.url}/streams/{stream}/media", timeout=60) as resp:
        path.write_bytes(resp.read())
    return path


def order_per_fragment(client):
    """For each cluster timecode, the ack types in the order they arrived."""
    seen = {}
    for ack, _, _ in client.acks:
        if "FragmentTimecode" in ack:
            seen.setdefault(ack["FragmentTimecode"], []).append(ack["EventType"])
    return seen


def test_acks_arrive_while_sending_and_fragments_decode(server, kv, clips, tmp_path):
    kv.create_stream(StreamName="pm-av", DataRetentionInHours=24)
    data = matroska(clips["h264"])
    start = time.time() - 60
    client = put(server, "pm-av", data, start)
    assert client.status == 200, client.error_body
    per_fragment = order_per_fragment(client)
    assert len(per_fragment) >= 10, client.acks
    for timecode, kinds in per_fragment.items():
        assert kinds == ["BUFFERING", "RECEIVED", "PERSISTED"], (timecode, kinds)
    assert not client.events("ERROR")
    timecodes = sorted(per_fragment)
    assert timecodes[0] < 100, timecodes  # ffmpeg keeps the clip's start (audio priming)
    # Full duplex: the first fragments were acknowledged as stored while the body was still going.
    first_persisted = next(sent for ack, _, sent in client.acks if ack["EventType"] == "PERSISTED")
    assert first_persisted < len(data) * 0.9, (first_persisted, len(data))

    # Every PERSISTED names a fragment the archive lists, at the producer's time for its cluster.
    archived = boto3.client("kinesis-video-archived-media", endpoint_url=server.url, **KW)
    fragments = archived.list_fragments(StreamName="pm-av", FragmentSelector={
        "FragmentSelectorType": "PRODUCER_TIMESTAMP",
        "TimestampRange": {"StartTimestamp": start - 1, "EndTimestamp": start + 60}})["Fragments"]
    by_number = {f["FragmentNumber"]: f for f in fragments}
    # (ffmpeg starts some clusters with audio just before the key frame: such a cluster's video
    # begins the next fragment, so its fragment may start up to one GOP after the cluster.)
    for ack in client.events("PERSISTED"):
        fragment = by_number[ack["FragmentNumber"]]
        assert abs(fragment["ProducerTimestamp"].timestamp() - (start + ack["FragmentTimecode"] / 1000)) <= 2.0
    # What was stored decodes to every frame pushed (20 s at 15 fps).
    assert decoded_video_frames(media_of(server, "pm-av", tmp_path)) == 300
    # Analysed like any other push.
    assert wait_until(lambda: server.json("/streams/pm-av")["analysis"].get("status", {}).get("framesDecoded", 0) > 0)


def test_stored_fragments_follow_the_producers_clusters(server, kv, tmp_path):
    # One-second GOPs and clusters, as a producer SDK cuts them: videod's own 2 s target would
    # make half as many fragments.
    clip = make_clip(tmp_path / "gop1.mp4", "h264", 6, gop_seconds=1, audio=False)
    kv.create_stream(StreamName="pm-gop1", DataRetentionInHours=1)
    start = 1_700_000_000.0
    client = put(server, "pm-gop1", matroska(clip, cluster_ms=1000, cluster_bytes=10_000_000), start)
    assert [a["FragmentTimecode"] for a in client.events("PERSISTED")] == [0, 1000, 2000, 3000, 4000, 5000]
    fragments = server.fragments("pm-gop1")
    assert len(fragments) == 6
    assert len({a["FragmentNumber"] for a in client.events("PERSISTED")}) == 6
    archived = boto3.client("kinesis-video-archived-media", endpoint_url=server.url, **KW)
    listed = archived.list_fragments(StreamName="pm-gop1", FragmentSelector={
        "FragmentSelectorType": "PRODUCER_TIMESTAMP",
        "TimestampRange": {"StartTimestamp": start, "EndTimestamp": start + 10}})["Fragments"]
    assert sorted(f["ProducerTimestamp"].timestamp() for f in listed) == [start + i for i in range(6)]


def test_clusters_that_do_not_begin_with_a_key_frame_join_the_fragment_before(server, kv, tmp_path):
    # ffmpeg closes a cluster at 32 KB when writing to a pipe, mid-GOP; stored fragments must
    # still begin with key frames, so such a cluster joins the fragment before it.
    clip = make_clip(tmp_path / "gop1b.mp4", "h264", 6, gop_seconds=1, audio=False)
    kv.create_stream(StreamName="pm-midgop", DataRetentionInHours=1)
    client = put(server, "pm-midgop", matroska(clip, cluster_ms=1000, cluster_bytes=12_000), time.time())
    clusters = [a["FragmentTimecode"] for a in client.events("BUFFERING")]
    assert len(clusters) > 6, clusters
    assert [a["FragmentTimecode"] for a in client.events("PERSISTED")] == clusters
    fragments = server.fragments("pm-midgop")
    assert len(fragments) <= 6 and len({a["FragmentNumber"] for a in client.events("PERSISTED")}) == len(fragments)
    assert decoded_video_frames(media_of(server, "pm-midgop", tmp_path)) == 90


@pytest.mark.skipif(subprocess.run(["sh", "-c", "gst-inspect-1.0 matroskamux && gst-inspect-1.0 x264enc"],
                                   capture_output=True).returncode != 0, reason="GStreamer's matroskamux/x264enc missing")
def test_gstreamer_matroskamux_output_as_kvssink_makes_it(server, kv, tmp_path):
    # kvssink packs what matroskamux (streamable) writes: a cluster per key frame, 1 ms timecodes.
    path = tmp_path / "gst.mkv"
    subprocess.run(["gst-launch-1.0", "-q", "videotestsrc", "num-buffers=90", "!",
                    "video/x-raw,width=320,height=240,framerate=15/1", "!", "x264enc", "key-int-max=15", "bframes=0",
                    "tune=zerolatency", "!", "h264parse", "!", "matroskamux", "streamable=true", "!",
                    "filesink", f"location={path}"], check=True, timeout=120)
    kv.create_stream(StreamName="pm-gst", DataRetentionInHours=1)
    client = put(server, "pm-gst", path.read_bytes(), time.time())
    assert [a["FragmentTimecode"] for a in client.events("PERSISTED")] == [0, 1000, 2000, 3000, 4000, 5000], client.acks
    assert not client.events("ERROR")
    assert decoded_video_frames(media_of(server, "pm-gst", tmp_path)) == 90


def test_absolute_timecodes_are_the_producer_clock(server, kv, tmp_path):
    clip = make_clip(tmp_path / "abs.mp4", "h264", 4, audio=False)
    kv.create_stream(StreamName="pm-abs", DataRetentionInHours=1)
    # Shift the clip onto the epoch (ms timecodes): ABSOLUTE timecodes are times since 1970.
    epoch_ms = 1_700_000_000_000
    shifted = subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", str(clip), "-c", "copy",
                              "-output_ts_offset", str(epoch_ms / 1000), "-f", "matroska", "pipe:1"],
                             capture_output=True, check=True, timeout=60).stdout
    client = put(server, "pm-abs", shifted, start=None, timecode_type="ABSOLUTE")
    assert client.status == 200 and client.events("PERSISTED"), client.acks
    assert client.events("BUFFERING")[0]["FragmentTimecode"] == epoch_ms
    first = server.fragments("pm-abs")[0]
    assert first["producerTime"].startswith("2023-11-14T22:13:20"), first


def test_timecodes_going_backwards_end_in_error_4004(server, kv, clips):
    kv.create_stream(StreamName="pm-back", DataRetentionInHours=1)
    data = bytearray(matroska(clips["short"]))
    # Rewrite the third cluster's Timecode element (ID E7) to 0.
    cluster = -1
    for _ in range(3):
        cluster = data.index(b"\x1f\x43\xb6\x75", cluster + 1)
    timecode = data.index(b"\xe7", cluster + 5)
    size = data[timecode + 1] & 0x7F
    data[timecode + 2:timecode + 2 + size] = bytes(size)
    client = put(server, "pm-back", bytes(data), time.time())
    errors = client.events("ERROR")
    assert errors and errors[0]["ErrorId"] == 4004 and errors[0]["FragmentTimecode"] == 0, client.acks
    # What came before the bad cluster is stored and acknowledged.
    before = [a["FragmentTimecode"] for a in client.events("BUFFERING")]
    assert len(before) == 2 and [a["FragmentTimecode"] for a in client.events("PERSISTED")] == before


def test_a_fragment_over_the_duration_limit_is_error_4002(server, kv, tmp_path):
    # A 12 s GOP in one cluster: over the 10 s limit. The next cluster is stored as usual.
    clip = make_clip(tmp_path / "gop12.mp4", "h264", 14, gop_seconds=12, audio=False, size="160x120")
    kv.create_stream(StreamName="pm-long", DataRetentionInHours=1)
    client = put(server, "pm-long", matroska(clip, cluster_ms=13000, cluster_bytes=50_000_000), time.time(), pause=0)
    assert [(a["FragmentTimecode"], a["ErrorId"]) for a in client.events("ERROR")] == [(0, 4002)], client.acks
    assert [a["FragmentTimecode"] for a in client.events("PERSISTED")] == [12000]


def test_garbage_ends_in_error_4006_and_a_canary_push_is_unharmed(server, kv, clips):
    kv.create_stream(StreamName="pm-garbage", DataRetentionInHours=1)
    kv.create_stream(StreamName="pm-canary", DataRetentionInHours=1)
    canary_data = matroska(clips["short"])
    results = {}

    def canary():
        results["canary"] = put(server, "pm-canary", canary_data, time.time(), pause=0.02)

    thread = threading.Thread(target=canary)
    thread.start()
    garbage = random.Random(7).randbytes(200_000)
    client = put(server, "pm-garbage", garbage, time.time())
    thread.join(120)
    assert [a["ErrorId"] for a in client.events("ERROR")] == [4006], client.acks
    assert not client.events("PERSISTED")
    # A truncated but valid beginning followed by garbage: the clusters before it are stored.
    broken = canary_data[:len(canary_data) // 2] + garbage[:50_000]
    kv.create_stream(StreamName="pm-broken", DataRetentionInHours=1)
    broken_client = put(server, "pm-broken", broken, time.time())
    assert broken_client.events("ERROR"), broken_client.acks
    assert broken_client.events("PERSISTED")
    canary_client = results["canary"]
    clusters = [a["FragmentTimecode"] for a in canary_client.events("BUFFERING")]
    assert len(clusters) >= 3 and [a["FragmentTimecode"] for a in canary_client.events("PERSISTED")] == clusters
    assert not canary_client.events("ERROR")


def test_a_codec_videod_cannot_store_is_error_4006_and_nothing_is_stored(server, kv, tmp_path):
    # Well-formed Matroska, but Motion JPEG: not H.264/H.265 video, so there is nothing to store.
    clip = tmp_path / "mjpeg.mkv"
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=15",
                    "-t", "4", "-c:v", "mjpeg", "-f", "matroska", "-cluster_time_limit", "2000", str(clip)], check=True)
    kv.create_stream(StreamName="pm-mjpeg", DataRetentionInHours=1, MediaType="video/h264")
    client = put(server, "pm-mjpeg", clip.read_bytes(), time.time())
    assert [a["ErrorId"] for a in client.events("ERROR")] == [4006], client.acks
    assert not client.events("PERSISTED")
    archive = boto3.client("kinesis-video-archived-media", endpoint_url=server.url, **KW)
    listed = archive.list_fragments(StreamName="pm-mjpeg", FragmentSelector={
        "FragmentSelectorType": "SERVER_TIMESTAMP", "TimestampRange": {"StartTimestamp": 0, "EndTimestamp": time.time() + 60}})
    assert listed["Fragments"] == []


def test_errors_before_the_stream_begins_are_aws_errors(server, kv):
    client = PutMedia(server.url, stream="pm-nowhere", start=time.time()).finish()
    assert client.status == 404 and b"ResourceNotFoundException" in client.error_body
    assert client.headers["x-amzn-errortype"].startswith("ResourceNotFoundException")
    kv.create_stream(StreamName="pm-headers")
    client = PutMedia(server.url, stream="pm-headers", timecode_type="SOMETIMES").finish()
    assert client.status == 400 and b"InvalidArgumentException" in client.error_body
    # A second producer on a stream that is receiving is refused (KVS: one connection per stream).
    first = PutMedia(server.url, stream="pm-headers", start=time.time())
    first.send(b"\x1a\x45\xdf\xa3")
    time.sleep(0.5)
    second = PutMedia(server.url, stream="pm-headers", start=time.time()).finish()
    assert second.status == 400 and b"ConnectionLimitExceededException" in second.error_body
    first.finish()


def test_retention_zero_sends_no_persisted_but_get_media_reads_the_live_buffer(server, kv, clips):
    kv.create_stream(StreamName="pm-zero", DataRetentionInHours=0)
    client = put(server, "pm-zero", matroska(clips["short"]), time.time())
    assert client.events("RECEIVED") and not client.events("PERSISTED") and not client.events("ERROR"), client.acks
    media = boto3.client("kinesis-video-media", endpoint_url=server.url, **KW)
    payload = media.get_media(StreamName="pm-zero", StartSelector={"StartSelectorType": "EARLIEST"})["Payload"].read()
    # ffmpeg's audio-led clusters merge into one stored fragment per 2 s GOP: 3 in the 6 s clip.
    assert payload.count(b"AWS_KINESISVIDEO_FRAGMENT_NUMBER") == 3


def signed_headers(url, stream, secret, start):
    """PutMedia's headers signed as the producer SDKs sign them: SigV4 over the headers with the
    hash of an empty payload (the streamed body is not covered)."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    headers = {"x-amzn-stream-name": stream, "x-amzn-fragment-timecode-type": "RELATIVE",
               "x-amzn-producer-start-timestamp": f"{start:.3f}"}
    request = AWSRequest(method="POST", url=url + "/putMedia", data=b"", headers=headers)
    SigV4Auth(Credentials("AKVIDEOD", secret), "kinesisvideo", "us-east-1").add_auth(request)
    return {k: v for k, v in request.headers.items() if k.lower() in ("authorization", "x-amz-date")}


def test_sigv4_when_keys_are_configured(fresh_server, clips):
    server = fresh_server("--access-key", "AKVIDEOD", "--secret-key", "s3cret")
    kv = boto3.client("kinesisvideo", endpoint_url=server.url, region_name="us-east-1", aws_access_key_id="AKVIDEOD",
                      aws_secret_access_key="s3cret", config=botocore.config.Config(retries={"max_attempts": 1}))
    kv.create_stream(StreamName="pm-signed", DataRetentionInHours=1)
    start = time.time()
    unsigned = PutMedia(server.url, stream="pm-signed", start=start).finish()
    assert unsigned.status == 403 and b"MissingAuthenticationTokenException" in unsigned.error_body
    wrong = PutMedia(server.url, stream="pm-signed", start=start,
                     extra_headers=signed_headers(server.url, "pm-signed", "wrong", start)).finish()
    assert wrong.status == 403 and b"InvalidSignatureException" in wrong.error_body
    good = PutMedia(server.url, stream="pm-signed", start=start,
                    extra_headers=signed_headers(server.url, "pm-signed", "s3cret", start))
    good.send(matroska(clips["short"]), pause=0.005)
    good.finish()
    assert good.status == 200 and good.events("PERSISTED") and not good.events("ERROR"), good.acks


def test_get_media_is_signed_like_every_json_operation(fresh_server, clips):
    server = fresh_server("--access-key", "AKVIDEOD", "--secret-key", "s3cret")
    def media(secret):
        return boto3.client("kinesis-video-media", endpoint_url=server.url, region_name="us-east-1",
                            aws_access_key_id="AKVIDEOD", aws_secret_access_key=secret,
                            config=botocore.config.Config(retries={"max_attempts": 1}))
    kv = boto3.client("kinesisvideo", endpoint_url=server.url, region_name="us-east-1", aws_access_key_id="AKVIDEOD",
                      aws_secret_access_key="s3cret", config=botocore.config.Config(retries={"max_attempts": 1}))
    kv.create_stream(StreamName="gm-signed", DataRetentionInHours=1)
    with pytest.raises(botocore.exceptions.ClientError) as err:
        media("wrong").get_media(StreamName="gm-signed", StartSelector={"StartSelectorType": "EARLIEST"})
    assert err.value.response["Error"]["Code"] == "InvalidSignatureException"
    result = media("s3cret").get_media(StreamName="gm-signed", StartSelector={"StartSelectorType": "EARLIEST"})
    assert result["Payload"].read() == b""  # nothing stored yet: caught up at once
