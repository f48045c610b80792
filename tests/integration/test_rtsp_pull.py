"""Pulling an RTSP camera: GStreamer's RTSP server stands in for the camera (PLAY mode); it is
killed and restarted to check reconnection, the recorded gap, and that credentials never leak."""
import json
import pathlib
import shutil
import socket
import subprocess
import time

import pytest

from videod import wait_until

CAMERA = pathlib.Path(__file__).with_name("rtsp_camera.py")
SYSTEM_PYTHON = "/usr/bin/python3"


def have_gstreamer_rtsp():
    if not shutil.which("gst-launch-1.0") or not pathlib.Path(SYSTEM_PYTHON).exists():
        return False
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import gi; gi.require_version('GstRtspServer', '1.0'); "
                            "from gi.repository import GstRtspServer"], capture_output=True)
    return probe.returncode == 0


pytestmark = pytest.mark.skipif(not have_gstreamer_rtsp(), reason="GStreamer RTSP server (gir1.2-gst-rtsp-server-1.0) not installed")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Camera:
    def __init__(self, port):
        self.port = port
        self.process = None

    def start(self):
        self.process = subprocess.Popen([SYSTEM_PYTHON, str(CAMERA), str(self.port)], stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL)
        assert self.process.stdout.readline().strip() == b"ready"
        return self

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def camera():
    cam = Camera(free_port()).start()
    yield cam
    cam.kill()


def count(server, name):
    status, _, body = server.request("GET", f"/streams/{name}")
    return json.loads(body)["fragmentCount"] if status == 200 else 0


def test_pull_reconnects_records_the_gap_and_hides_credentials(fresh_server, camera, tmp_path):
    data = tmp_path / "data"
    server = fresh_server(data=data)
    started = time.time()
    url = f"rtsp://admin:s3cret@127.0.0.1:{camera.port}/cam"
    status, _, body = server.request("POST", "/streams/cam2", json.dumps({"source": url}).encode())
    assert status == 201 and b"s3cret" not in body, body
    assert wait_until(lambda: count(server, "cam2") >= 2, timeout=30)
    description = server.json("/streams/cam2")
    assert description["pull"]["state"] == "receiving"
    assert description["pull"]["url"] == f"rtsp://127.0.0.1:{camera.port}/cam"
    assert description["source"]["protocol"] == "rtsp-pull" and description["source"]["url"] == description["pull"]["url"]
    assert description["video"]["codec"] == "h264"
    # The camera sends RTCP sender reports: its clock (here the same machine's) dates the stream.
    assert description["source"]["producerClock"] == "rtcp-sender-report", description["source"]
    first = server.fragments("cam2", page_size=10)[0]
    assert abs(first["producerTimestamp"] - started) < 15, (first, started)

    camera.kill()
    assert wait_until(lambda: server.json("/streams/cam2")["pull"]["state"] in ("reconnecting", "connecting")
                      and not server.json("/streams/cam2")["ingesting"], timeout=30)
    before = count(server, "cam2")
    camera.start()
    assert wait_until(lambda: count(server, "cam2") >= before + 2, timeout=60)
    fragments = server.fragments("cam2", page_size=100)
    assert fragments[before]["discontinuity"], "the first fragment after the gap says so"
    last = fragments[before - 1]
    assert fragments[before]["producerTimestamp"] >= last["producerTimestamp"] + last["duration"], "the gap moves time on"
    assert not any(f["discontinuity"] for f in fragments[1:before])
    assert server.json("/streams/cam2")["pull"]["reconnects"] >= 1

    # The pull is configuration: it resumes after a restart.
    server.stop()
    server = fresh_server(data=data)
    resumed = count(server, "cam2")
    assert wait_until(lambda: count(server, "cam2") >= resumed + 1, timeout=60)

    # Stopping the pull ends the session.
    status, _, body = server.request("POST", "/streams/cam2", json.dumps({"source": None}).encode())
    assert status == 200 and "pull" not in json.loads(body)
    assert wait_until(lambda: not server.json("/streams/cam2")["ingesting"], timeout=20)
    for log in data.parent.glob("*.log"):
        assert "s3cret" not in log.read_text(errors="replace")
    listed = json.dumps(server.json("/streams"))
    assert "s3cret" not in listed


def test_bad_sources_are_refused(server):
    for bad in ["http://camera/stream", "not a url", 42]:
        status, _, body = server.request("POST", "/streams/pull-bad", json.dumps({"source": bad}).encode())
        assert status == 400 and json.loads(body)["error"] == "InvalidArgument", body
    assert server.request("GET", "/streams/pull-bad")[0] == 404
