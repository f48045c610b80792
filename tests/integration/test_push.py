"""Push real ffmpeg streams over HTTP, then read the archive back by timestamp."""
import pytest

from conftest import FPS
from videod import decoded_video_frames, first_video_frame_is_key, video_decode_times

CLIP_SECONDS = 20.0
FRAME = 1.0 / FPS


def check_fragment_list(fragments, expected_count):
    assert len(fragments) == expected_count
    numbers = [int(f["number"]) for f in fragments]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    for a, b in zip(fragments, fragments[1:]):
        # contiguous and non-overlapping on the producer clock
        assert abs(a["producerTimestamp"] + a["duration"] - b["producerTimestamp"]) < 0.002, (a, b)
    total = sum(f["duration"] for f in fragments)
    assert abs(total - CLIP_SECONDS) <= FRAME, total


@pytest.mark.parametrize("container", ["mp4", "mpegts", "matroska"])
@pytest.mark.parametrize("codec", ["h264", "h265"])
def test_push_stores_contiguous_key_frame_aligned_fragments(server, clips, tmp_path, codec, container):
    stream = f"{codec}-{container}"
    server.push(clips[codec], stream, container)

    description = server.json(f"/streams/{stream}")
    assert description["video"] == {"kind": "video", "codec": "h264" if codec == "h264" else "hevc",
                                    "width": 320, "height": 240}
    assert description["audio"]["codec"] == "aac"
    assert description["fragmentCount"] == 10
    assert description["ingesting"] is False

    fragments = server.fragments(stream)
    check_fragment_list(fragments, 10)
    for f in fragments:
        status, headers, body = server.request("GET", f"/streams/{stream}/fragments/{f['number']}")
        assert status == 200 and headers["Content-Type"] == "video/mp4"
        path = tmp_path / f"{f['number']}.mp4"
        path.write_bytes(body)
        assert first_video_frame_is_key(path), f"fragment {f['number']} does not start with a key frame"
        assert decoded_video_frames(path) == round(f["duration"] * FPS)

    # A sub-range starting mid-fragment begins at that fragment's key frame.
    start = fragments[2]["producerTimestamp"] + 0.5
    end = fragments[4]["producerTimestamp"] + 0.1
    status, headers, body = server.request("GET", f"/streams/{stream}/media?start={start:.6f}&end={end:.6f}")
    assert status == 200
    media = tmp_path / "range.mp4"
    media.write_bytes(body)
    expected = sum(round(f["duration"] * FPS) for f in fragments[2:5])
    assert decoded_video_frames(media) == expected
    assert first_video_frame_is_key(media)


def test_listing_by_server_time_and_rfc3339(server, clips):
    stream = "listing"
    server.push(clips["short"], stream, "mp4")
    fragments = server.fragments(stream, page_size=1, timestamps="server")
    assert len(fragments) == 3
    by_producer = server.fragments(stream)
    assert [f["number"] for f in fragments] == [f["number"] for f in by_producer]
    second = by_producer[1]
    # RFC 3339 start at exactly the second fragment, end just inside it.
    page = server.json(f"/streams/{stream}/fragments?start={second['producerTime']}"
                       f"&end={second['producerTimestamp'] + 0.5:.6f}")
    assert [f["number"] for f in page["fragments"]] == [second["number"]]


def test_restart_keeps_everything_readable(fresh_server, clips, tmp_path):
    first = fresh_server()
    first.push(clips["h264"], "cam1", "mpegts")
    before = first.fragments("cam1")
    status, _, media_before = first.request("GET", "/streams/cam1/media")
    assert status == 200
    data_dir = first.data_dir
    first.stop()

    second = fresh_server(data=data_dir)
    assert second.fragments("cam1") == before
    status, _, media_after = second.request("GET", "/streams/cam1/media")
    assert status == 200 and media_after == media_before
    path = tmp_path / "after.mp4"
    path.write_bytes(media_after)
    assert decoded_video_frames(path) == round(CLIP_SECONDS * FPS)


def test_second_push_continues_the_stream(fresh_server, clips, tmp_path):
    server = fresh_server()
    server.push(clips["short"], "cam1", "mp4")
    server.push(clips["short"], "cam1", "mp4")
    fragments = server.fragments("cam1")
    assert len(fragments) == 6
    numbers = [int(f["number"]) for f in fragments]
    assert numbers == sorted(numbers)
    for a, b in zip(fragments, fragments[1:]):
        # the second push (faster than real time) starts where the first ended, never overlapping it
        assert a["producerTimestamp"] + a["duration"] <= b["producerTimestamp"] + 0.001
    assert server.json("/streams/cam1")["fragmentCount"] == 6
    # Both pushes play back as one file whose decode times run forward from zero.
    status, _, body = server.request("GET", "/streams/cam1/media")
    assert status == 200
    path = tmp_path / "both.mp4"
    path.write_bytes(body)
    assert decoded_video_frames(path) == 180
    times = video_decode_times(path)
    assert all(b > a for a, b in zip(times, times[1:]))
    assert abs(times[0]) < 0.2 and 11.5 < times[-1] < 12.5

    # A push whose codec configuration differs gets its own init segment; a range read stops
    # before it and says so.
    server.push(clips["h265"], "cam1", "matroska")
    status, headers, body = server.request("GET", "/streams/cam1/media")
    assert status == 200 and headers.get("X-Videod-Truncated") == "true" and headers["X-Videod-Fragments"] == "6"


def test_delete_stream(fresh_server, clips):
    server = fresh_server()
    server.push(clips["short"], "gone", "mp4")
    assert server.request("DELETE", "/streams/gone")[0] == 204
    assert server.request("GET", "/streams/gone")[0] == 404
    assert server.request("GET", "/streams/gone/fragments")[0] == 404
    assert server.json("/streams")["streams"] == []


def test_auto_create_off_refuses_unknown_streams(fresh_server, clips):
    server = fresh_server("--no-auto-create")
    status, _, body = server.request("POST", "/streams/nope/ingest", data=clips["short"].read_bytes())
    assert status == 404 and b"ResourceNotFound" in body
    assert server.request("PUT", "/streams/yes")[0] == 201
    server.push(clips["short"], "yes", "mp4")
    assert server.json("/streams/yes")["fragmentCount"] == 3


def test_kill_during_push_keeps_every_listed_fragment_readable(fresh_server, clips, tmp_path):
    import signal
    import subprocess
    import time
    from videod import push_command, wait_until

    server = fresh_server()
    pusher = subprocess.Popen(push_command(clips["h264"], server.ingest_url("crash"), "mpegts", realtime=True),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_until(lambda: server.request("GET", "/streams/crash")[0] == 200
                          and server.json("/streams/crash")["fragmentCount"] >= 2, timeout=30)
        time.sleep(0.7)  # somewhere in the middle of the next fragment
        server.process.send_signal(signal.SIGKILL)
        server.process.wait()
    finally:
        pusher.kill()
        pusher.wait()

    restarted = fresh_server(data=server.data_dir)
    fragments = restarted.fragments("crash")
    assert len(fragments) >= 2
    for f in fragments:
        status, _, body = restarted.request("GET", f"/streams/crash/fragments/{f['number']}")
        assert status == 200
        path = tmp_path / f"{f['number']}.mp4"
        path.write_bytes(body)
        assert decoded_video_frames(path) == round(f["duration"] * FPS)
    # the stream takes new pushes after the crash
    restarted.push(clips["short"], "crash", "mp4")
    assert len(restarted.fragments("crash")) == len(fragments) + 3
