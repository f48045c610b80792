"""Bad pushes get the right 4xx in JSON while a good push to another stream completes intact."""
import json
import subprocess

from videod import decoded_video_frames, push_command


def make_mp3(path):
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440",
                    "-t", "3", "-c:a", "libmp3lame", str(path)], check=True, timeout=60)
    return path


def make_mpeg4_mkv(path):
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                    "testsrc2=size=160x120:rate=15", "-t", "3", "-c:v", "mpeg4", "-f", "matroska", str(path)],
                   check=True, timeout=60)
    return path


def fragmented_mp4(clip, path):
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", str(clip), "-c", "copy", "-f", "mp4",
                    "-movflags", "frag_keyframe+empty_moov+default_base_moof", str(path)], check=True, timeout=60)
    return path


def error_of(response):
    status, headers, body = response
    assert headers["Content-Type"] == "application/json"
    return status, json.loads(body)


def test_bad_pushes_fail_cleanly_while_another_stream_ingests(server, clips, tmp_path):
    good = subprocess.Popen(push_command(clips["short"], server.ingest_url("good"), "mpegts", realtime=True),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    status, body = error_of(server.request("POST", "/streams/garbage/ingest", data=bytes(range(256)) * 800))
    assert status == 415 and body["error"] == "UnsupportedContainer"

    status, body = error_of(server.request("POST", "/streams/mp3/ingest", data=make_mp3(tmp_path / "a.mp3").read_bytes()))
    assert status == 415 and body["error"] == "UnsupportedContainer"

    status, body = error_of(server.request("POST", "/streams/mpeg4/ingest",
                                           data=make_mpeg4_mkv(tmp_path / "v.mkv").read_bytes()))
    assert status == 415 and body["error"] == "UnsupportedCodec" and "mpeg4" in body["message"]

    status, body = error_of(server.request("POST", "/streams/" + "a" * 257 + "/ingest", data=b"x" * 1000))
    assert status == 400 and body["error"] == "InvalidStreamName"

    status, body = error_of(server.request("POST", "/streams/empty/ingest", data=b""))
    assert status == 400 and body["error"] == "MalformedMedia"

    # A fragmented MP4 cut off in the middle of a fragment: what came before it stays readable.
    whole = fragmented_mp4(clips["h264"], tmp_path / "frag.mp4").read_bytes()
    status, body = error_of(server.request("POST", "/streams/cut/ingest", data=whole[: len(whole) // 2 + 333]))
    assert status == 400 and body["error"] == "MalformedMedia"
    stored = body["stored"]["fragments"]
    assert stored >= 4
    assert server.json("/streams/cut")["fragmentCount"] == stored
    status, _, media = server.request("GET", "/streams/cut/media")
    assert status == 200
    (tmp_path / "cut.mp4").write_bytes(media)
    assert decoded_video_frames(tmp_path / "cut.mp4") > 0

    # Rejected pushes leave no streams behind.
    for name in ["garbage", "mp3", "mpeg4", "empty"]:
        assert server.request("GET", f"/streams/{name}")[0] == 404

    _, err = good.communicate(timeout=60)
    assert good.returncode == 0, err
    server.wait_idle("good")
    fragments = server.fragments("good")
    assert len(fragments) == 3
    assert abs(sum(f["duration"] for f in fragments) - 6.0) <= 1 / 15
    status, _, media = server.request("GET", "/streams/good/media")
    (tmp_path / "good.mp4").write_bytes(media)
    assert decoded_video_frames(tmp_path / "good.mp4") == 90


def test_bad_queries_are_rejected(server, clips):
    server.push(clips["short"], "queries", "mp4")
    for query, code in [("start=yesterday", "InvalidArgument"), ("timestamps=local", "InvalidArgument"),
                        ("limit=0", "InvalidArgument"), ("limit=abc", "InvalidArgument"),
                        ("next=bm90LWEtdG9rZW4", "InvalidArgument"), ("start=10&end=5", "InvalidArgument")]:
        status, body = error_of(server.request("GET", f"/streams/queries/fragments?{query}"))
        assert status == 400 and body["error"] == code, query
    status, body = error_of(server.request("GET", "/streams/queries/fragments/999999999"))
    assert status == 404 and body["error"] == "ResourceNotFound"
    status, body = error_of(server.request("GET", "/streams/queries/media?start=1&end=2"))
    assert status == 404
    status, body = error_of(server.request("GET", "/streams/missing/fragments"))
    assert status == 404 and body["error"] == "ResourceNotFound"


def test_second_push_to_a_busy_stream_is_refused(server, clips):
    first = subprocess.Popen(push_command(clips["short"], server.ingest_url("busy"), "mpegts", realtime=True),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        import time
        deadline = time.time() + 10
        while time.time() < deadline and server.request("GET", "/streams/busy")[0] != 200:
            time.sleep(0.1)
        data = clips["short"].read_bytes()
        status, body = error_of(server.request("POST", "/streams/busy/ingest", data=data))
        assert status == 409 and body["error"] == "ResourceInUse"
    finally:
        first.wait(60)
