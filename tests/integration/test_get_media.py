"""GetMedia and GetMediaForFragmentList through boto3's kinesis-video-media and
kinesis-video-archived-media clients: Matroska documents, one per fragment, with KVS's tags;
replay from every start selector, a live tail while ffmpeg pushes over RTSP, and AWS's errors."""
import json
import os
import subprocess
import time

import boto3
import botocore
import pytest

from mkv_tags import describe, documents, first_complete
from videod import decoded_video_frames, wait_until

KW = dict(region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test",
          config=botocore.config.Config(retries={"max_attempts": 1}, read_timeout=70))


def clients(server, stream):
    kv = boto3.client("kinesisvideo", endpoint_url=server.url, **KW)
    media_endpoint = kv.get_data_endpoint(StreamName=stream, APIName="GET_MEDIA")["DataEndpoint"]
    archive_endpoint = kv.get_data_endpoint(StreamName=stream, APIName="GET_MEDIA_FOR_FRAGMENT_LIST")["DataEndpoint"]
    return (boto3.client("kinesis-video-media", endpoint_url=media_endpoint, **KW),
            boto3.client("kinesis-video-archived-media", endpoint_url=archive_endpoint, **KW))


def listed(archive, stream):
    fragments = archive.list_fragments(StreamName=stream, FragmentSelector={
        "FragmentSelectorType": "SERVER_TIMESTAMP",
        "TimestampRange": {"StartTimestamp": 0, "EndTimestamp": time.time() + 60}})["Fragments"]
    return sorted(fragments, key=lambda f: int(f["FragmentNumber"]))


@pytest.fixture(scope="module")
def archived(server, clips):
    """A 20 s H.264+AAC push, stored as ten 2 s fragments."""
    server.push(clips["h264"], "gm-archive", "mp4")
    return "gm-archive"


def test_fragment_list_decodes_to_the_pushed_frames_with_tags(server, archived, tmp_path):
    media, archive = clients(server, archived)
    fragments = listed(archive, archived)
    assert len(fragments) == 10
    numbers = [f["FragmentNumber"] for f in fragments]
    result = archive.get_media_for_fragment_list(StreamName=archived, Fragments=numbers)
    assert result["ContentType"] == "video/webm"
    data = result["Payload"].read()
    path = tmp_path / "list.mkv"
    path.write_bytes(data)
    assert decoded_video_frames(path) == 300
    docs = documents(data)
    assert len(docs) == 10
    for doc, fragment in zip(docs, fragments):
        tags, timecode, blocks = describe(doc)
        assert tags["AWS_KINESISVIDEO_FRAGMENT_NUMBER"] == fragment["FragmentNumber"]
        assert float(tags["AWS_KINESISVIDEO_PRODUCER_TIMESTAMP"]) == pytest.approx(fragment["ProducerTimestamp"].timestamp(), abs=0.001)
        assert float(tags["AWS_KINESISVIDEO_SERVER_TIMESTAMP"]) == pytest.approx(fragment["ServerTimestamp"].timestamp(), abs=0.001)
        assert timecode == int(fragment["ProducerTimestamp"].timestamp() * 1000)
        assert blocks > 30  # 30 video frames and the audio of 2 s
    # The order asked is the order served.
    reversed_docs = documents(archive.get_media_for_fragment_list(StreamName=archived, Fragments=numbers[::-1])["Payload"].read())
    assert [describe(d)[0]["AWS_KINESISVIDEO_FRAGMENT_NUMBER"] for d in reversed_docs] == numbers[::-1]


def test_get_media_replays_from_each_selector(server, archived):
    media, archive = clients(server, archived)
    fragments = listed(archive, archived)
    numbers = [f["FragmentNumber"] for f in fragments]

    def numbers_from(**selector):
        started = time.time()
        result = media.get_media(StreamName=archived, StartSelector=selector)
        assert result["ContentType"] == "video/webm"
        docs = documents(result["Payload"].read())
        # Caught up on a stream nothing is pushing to: the response ends within seconds.
        assert time.time() - started < 15
        tags = [describe(d)[0] for d in docs]
        for t in tags:
            assert t["AWS_KINESISVIDEO_CONTINUATION_TOKEN"] == t["AWS_KINESISVIDEO_FRAGMENT_NUMBER"]
            assert int(t["AWS_KINESISVIDEO_MILLIS_BEHIND_NOW"]) >= 0
        return [t["AWS_KINESISVIDEO_FRAGMENT_NUMBER"] for t in tags]

    assert numbers_from(StartSelectorType="EARLIEST") == numbers
    assert numbers_from(StartSelectorType="NOW") == numbers[-1:]
    assert numbers_from(StartSelectorType="FRAGMENT_NUMBER", AfterFragmentNumber=numbers[6]) == numbers[7:]
    assert numbers_from(StartSelectorType="CONTINUATION_TOKEN", ContinuationToken=numbers[3]) == numbers[4:]
    middle = fragments[5]
    # (boto3 sends whole seconds: one second in stays inside a 2 s fragment.)
    inside = middle["ProducerTimestamp"].timestamp() + 1.0
    assert numbers_from(StartSelectorType="PRODUCER_TIMESTAMP", StartTimestamp=inside) == numbers[5:]
    assert numbers_from(StartSelectorType="SERVER_TIMESTAMP", StartTimestamp=fragments[0]["ServerTimestamp"]) == numbers


def test_get_media_now_follows_a_live_rtsp_push(server, clips):
    stream = "gm-live"
    push = subprocess.Popen(["ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-i", str(clips["h264"]), "-c", "copy",
                             "-f", "rtsp", "-rtsp_transport", "tcp", f"{server.rtsp_url}/{stream}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        assert wait_until(lambda: server.request("GET", f"/streams/{stream}")[0] == 200, timeout=20)
        media, archive = clients(server, stream)
        payload = media.get_media(StreamName=stream, StartSelector={"StartSelectorType": "NOW"})["Payload"]
        arrivals, buffer = [], b""
        # Read while the push goes on; note when each document has fully arrived. (HTTP chunks
        # as they come: a sized read() would wait for the next document to fill its buffer.)
        for chunk in payload._raw_stream.read_chunked(decode_content=False):
            buffer += chunk
            while (length := first_complete(buffer)) is not None:
                arrivals.append((describe(buffer[:length])[0], time.time()))
                buffer = buffer[length:]
    finally:
        push.wait(60)
    stored = {f["FragmentNumber"]: f for f in listed(archive, stream)}
    assert len(arrivals) >= 8, arrivals
    numbers = [int(tags["AWS_KINESISVIDEO_FRAGMENT_NUMBER"]) for tags, _ in arrivals]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    delays = []
    for tags, arrived in arrivals:
        fragment = stored[tags["AWS_KINESISVIDEO_FRAGMENT_NUMBER"]]
        stored_at = fragment["ServerTimestamp"].timestamp() + fragment["FragmentLengthInMilliseconds"] / 1000
        delays.append(arrived - stored_at)
    print(f"GetMedia NOW: document complete {min(delays):.2f}..{max(delays):.2f} s after its fragment's end")
    # Delivered within one fragment duration (2 s) of being stored.
    assert max(delays) < 2.0, delays


def test_errors_are_aws_errors(server, archived):
    media, archive = clients(server, archived)
    with pytest.raises(media.exceptions.ResourceNotFoundException):
        media.get_media(StreamName="gm-nowhere", StartSelector={"StartSelectorType": "EARLIEST"})
    with pytest.raises(media.exceptions.InvalidArgumentException):
        media.get_media(StreamName=archived, StartSelector={"StartSelectorType": "SOMETIME"})
    with pytest.raises(media.exceptions.InvalidArgumentException):
        media.get_media(StreamName=archived, StartSelector={"StartSelectorType": "FRAGMENT_NUMBER"})
    with pytest.raises(archive.exceptions.ResourceNotFoundException):
        archive.get_media_for_fragment_list(StreamName=archived, Fragments=["999999999"])
    with pytest.raises(archive.exceptions.InvalidArgumentException):
        archive.get_media_for_fragment_list(StreamName=archived, Fragments=[str(n) for n in range(1001)])


def test_aws_cli_get_media_writes_a_playable_file(server, archived, tmp_path):
    out = tmp_path / "cli.mkv"
    env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION="us-east-1")
    result = subprocess.run(["aws", "--endpoint-url", server.url, "kinesis-video-media", "get-media", "--stream-name", archived,
                             "--start-selector", "StartSelectorType=EARLIEST", str(out)],
                            capture_output=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    assert json.loads(result.stdout)["ContentType"] == "video/webm"
    assert decoded_video_frames(out) == 300
