"""Helpers for driving a real videod process and real ffmpeg/ffprobe over loopback."""
import json
import os
import pathlib
import re
import subprocess
import threading
import time
import urllib.error
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("VIDEOD_BIN") or str(ROOT / ".build" / "debug" / "videod")


class Videod:
    """A videod child process on an ephemeral loopback port with its own data directory."""

    def __init__(self, data_dir, *extra_args):
        self.data_dir = str(data_dir)
        self.extra_args = list(extra_args)
        self.process = None
        self.url = None
        self.rtsp_url = None
        self.tcp_urls = {}
        self.log_path = pathlib.Path(self.data_dir + ".log")
        self.ssl_context = None  # for a server with --tls-cert: trusts its CA

    def start(self, timeout=60):
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [BIN, "serve", "--http", "127.0.0.1:0", "--rtsp", "127.0.0.1:0", "--data", self.data_dir, *self.extra_args],
            stdout=subprocess.PIPE, stderr=log)
        found = {}

        def read_port():
            for line in self.process.stdout:
                tcp = re.search(rb"tcp-ingest (\S+) on tcp://([\d.]+):(\d+)", line)
                if tcp:
                    self.tcp_urls[tcp.group(1).decode()] = (tcp.group(2).decode(), int(tcp.group(3)))
                rtsp = re.search(rb"rtsp on (rtsps?://[\d.]+:\d+)", line)
                if rtsp:
                    found["rtsp"] = rtsp.group(1).decode()
                m = re.search(rb"listening on (https?://[\d.]+:\d+)", line)
                if m:
                    found["url"] = m.group(1).decode()
                    return

        reader = threading.Thread(target=read_port, daemon=True)
        reader.start()
        reader.join(timeout)
        if "url" not in found:
            self.stop()
            raise RuntimeError("videod did not start: " + self.log_path.read_text(errors="replace")[-2000:])
        self.url = found["url"]
        self.rtsp_url = found.get("rtsp")
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def request(self, method, path, data=None, headers=None):
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=60, context=self.ssl_context) as resp:
                return resp.status, dict(resp.headers), resp.read()
        except urllib.error.HTTPError as err:
            return err.code, dict(err.headers), err.read()

    def json(self, path):
        status, _, body = self.request("GET", path)
        assert status == 200, (path, status, body)
        return json.loads(body)

    def fragments(self, stream, page_size=4, **params):
        """Every fragment of a listing, following `next` tokens."""
        out, token = [], None
        while True:
            query = dict(params, limit=page_size)
            if token:
                query["next"] = token
            qs = "&".join(f"{k}={v}" for k, v in query.items())
            page = self.json(f"/streams/{stream}/fragments?{qs}")
            out += page["fragments"]
            token = page.get("next")
            if not token:
                return out

    def ingest_url(self, stream):
        return f"{self.url}/streams/{stream}/ingest"

    def wait_idle(self, stream, timeout=60):
        """ffmpeg exits once its body is sent; videod may still be fragmenting what it buffered."""
        def idle():
            status, _, body = self.request("GET", f"/streams/{stream}")
            return status == 200 and not json.loads(body)["ingesting"]
        assert wait_until(idle, timeout), f"{stream} still ingesting after {timeout}s"

    def push(self, clip, stream, container, realtime=False):
        push(clip, self.ingest_url(stream), container, realtime)
        self.wait_idle(stream)


MUXER_ARGS = {
    "mp4": ["-f", "mp4", "-movflags", "frag_keyframe+empty_moov+default_base_moof"],
    "mpegts": ["-f", "mpegts"],
    "matroska": ["-f", "matroska"],
}


def push_command(clip, url, container, realtime=False):
    return (["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin"] + (["-re"] if realtime else [])
            + ["-i", str(clip), "-c", "copy"] + MUXER_ARGS[container] + ["-method", "POST", url])


def push(clip, url, container, realtime=False):
    result = subprocess.run(push_command(clip, url, container, realtime), capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr.decode(errors="replace")


def make_clip(path, codec, seconds, fps=15, gop_seconds=2, audio=True, size="320x240"):
    """A camera-like clip: moving test pattern, fixed GOP, optional AAC."""
    encoder = {"h264": ["-c:v", "libx264", "-preset", "veryfast"],
               "h265": ["-c:v", "libx265", "-preset", "veryfast", "-x265-params", "log-level=error:open-gop=0"]}[codec]
    cmd = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
           "-i", f"testsrc2=size={size}:rate={fps}"]
    if audio:
        cmd += ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"]
    cmd += ["-t", str(seconds), *encoder, "-g", str(fps * gop_seconds), "-keyint_min", str(fps * gop_seconds),
            "-sc_threshold", "0", "-pix_fmt", "yuv420p", "-b:v", "300k"]
    if audio:
        cmd += ["-c:a", "aac", "-b:a", "64k"]
    subprocess.run(cmd + [str(path)], check=True, timeout=300)
    return path


def ffprobe_json(path, *args):
    out = subprocess.run(["ffprobe", "-v", "error", "-of", "json", *args, str(path)],
                         capture_output=True, timeout=120, check=True)
    return json.loads(out.stdout)


def decoded_video_frames(path):
    info = ffprobe_json(path, "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames")
    return int(info["streams"][0]["nb_read_frames"])


def first_video_frame_is_key(path):
    info = ffprobe_json(path, "-select_streams", "v:0", "-read_intervals", "%+#1", "-show_entries", "frame=key_frame")
    return info["frames"][0]["key_frame"] == 1


def wait_until(predicate, timeout=30, interval=0.1):
    end = time.time() + timeout
    while time.time() < end:
        if predicate():
            return True
        time.sleep(interval)
    return False


def video_decode_times(path):
    info = ffprobe_json(path, "-select_streams", "v:0", "-show_entries", "packet=dts_time")
    return [float(p["dts_time"]) for p in info["packets"]]
