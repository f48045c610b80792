"""SIGTERM drains: pushes end at their next fragment boundary with what they stored acknowledged,
new pushes are refused meanwhile, analysis finishes, and the process exits 0. A second SIGTERM
exits at once."""
import http.client
import json
import signal
import subprocess
import threading
import time
import urllib.parse

from videod import Videod, make_clip, push_command, wait_until

FPS = 15


def paced_push(url, clip, result):
    """Pushes `clip` as fragmented MP4 in real time over one chunked request; keeps the response."""
    encoder = subprocess.Popen(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-re", "-i", str(clip), "-c", "copy",
         "-f", "mp4", "-movflags", "frag_keyframe+empty_moov+default_base_moof", "pipe:1"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    target = urllib.parse.urlparse(url)
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)

    def body():
        while True:
            chunk = encoder.stdout.read1(16384)
            if not chunk:
                return
            yield chunk
    try:
        connection.request("POST", target.path, body=body(), headers={"Content-Type": "video/mp4"},
                           encode_chunked=True)
        response = connection.getresponse()
        result["status"] = response.status
        result["body"] = json.loads(response.read())
    except (OSError, http.client.HTTPException) as error:
        # The server answered and closed while the body was still being sent: read the answer.
        result["error"] = repr(error)
        try:
            response = connection.getresponse()
            result["status"] = response.status
            result["body"] = json.loads(response.read())
        except Exception as late:  # noqa: BLE001 — recorded for the assertion message
            result["late_error"] = repr(late)
    finally:
        encoder.kill()
        encoder.wait()


def test_sigterm_ends_pushes_at_a_fragment_boundary_and_exits_0(tmp_path):
    # A 4 s GOP leaves a window in which the push has not reached its boundary yet.
    clip = make_clip(tmp_path / "gop4.mp4", "h264", 30, gop_seconds=4)
    data = tmp_path / "data"
    server = Videod(data, "--shutdown-timeout", "20").start()
    result = {}
    pusher = threading.Thread(target=paced_push, args=(server.ingest_url("cam"), clip, result))
    pusher.start()
    assert wait_until(lambda: len(server.fragments("cam")) >= 2 if server.request("GET", "/streams/cam")[0] == 200
                      else False, 30)
    started = time.time()
    server.process.send_signal(signal.SIGTERM)
    # While the push drains, the server says it is not ready (once the signal is handled, which
    # is not instantly on a busy machine) and refuses new pushes.
    def draining():
        status, _, body = server.request("GET", "/ready")
        return status == 503 and b"shutting down" in body
    assert wait_until(draining, 3, interval=0.02)
    status, _, body = server.request("POST", "/streams/late/ingest", data=clip.read_bytes()[:65536],
                                     headers={"Content-Type": "video/mp4"})
    assert status == 503 and json.loads(body)["error"] == "ServiceUnavailable", (status, body)
    assert server.process.wait(30) == 0
    elapsed = time.time() - started
    pusher.join(30)
    log = server.log_path.read_text(errors="replace")
    server.process = None

    # The producer got its answer: the push ended for the shutdown, and named what it stored.
    assert result.get("status") == 200, result
    summary = result["body"]
    assert summary["endedForShutdown"] is True
    assert elapsed < 4 + 2 + 5, elapsed  # within one GOP of the signal, plus stopping the servers
    assert "every push stored and analysed" in log

    restarted = Videod(data).start()
    try:
        fragments = restarted.fragments("cam", page_size=100)
        numbers = [f["number"] for f in fragments]
        assert len(fragments) == summary["fragments"]
        assert numbers[0] == summary["firstFragmentNumber"] and numbers[-1] == summary["lastFragmentNumber"]
        # Whole fragments only: each one a full 4 s group of pictures, none cut short by the stop.
        for fragment in fragments:
            assert abs(fragment["duration"] - 4.0) < 1.5 / FPS, fragment
        assert restarted.request("GET", "/streams/late")[0] == 404
        # The stream takes a push again after the restart.
        subprocess.run(push_command(clip, restarted.ingest_url("cam"), "mp4"), check=True, capture_output=True, timeout=60)
        restarted.wait_idle("cam")
        assert len(restarted.fragments("cam", page_size=100)) > len(fragments)
    finally:
        restarted.stop()


def test_a_second_sigterm_exits_at_once(tmp_path, clips):
    server = Videod(tmp_path / "data").start()
    push = subprocess.Popen(push_command(clips["h264"], server.ingest_url("slow"), "mpegts", realtime=True),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_until(lambda: server.request("GET", "/streams/slow")[0] == 200
                          and server.json("/streams/slow")["ingesting"], 30)
        server.process.send_signal(signal.SIGTERM)
        time.sleep(0.2)
        started = time.time()
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(5) == 128 + signal.SIGTERM
        assert time.time() - started < 2
        server.process = None
    finally:
        push.kill()
        push.wait()


def test_sigterm_ends_an_rtsp_push_with_whole_fragments(tmp_path):
    clip = make_clip(tmp_path / "gop4.mp4", "h264", 30, gop_seconds=4)
    data = tmp_path / "data"
    server = Videod(data).start()
    push = subprocess.Popen(["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-re", "-i", str(clip),
                             "-c", "copy", "-f", "rtsp", "-rtsp_transport", "tcp", server.rtsp_url + "/door"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_until(lambda: server.request("GET", "/streams/door")[0] == 200
                          and len(server.fragments("door")) >= 2, 30)
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(30) == 0
        server.process = None
        # The server closed the connection at the boundary: the camera notices.
        assert push.wait(30) is not None
    finally:
        push.kill()
        push.wait()
    restarted = Videod(data).start()
    try:
        fragments = restarted.fragments("door", page_size=100)
        assert len(fragments) >= 3
        for fragment in fragments:
            assert abs(fragment["duration"] - 4.0) < 1.5 / FPS, fragment
    finally:
        restarted.stop()
