"""RTSP push (ANNOUNCE/SETUP/RECORD, RTP interleaved over TCP) with a real ffmpeg client, and
hostile RTSP input over a raw socket beside a good push."""
import socket
import subprocess
import threading
import time

import pytest

from conftest import FPS
from videod import decoded_video_frames, ffprobe_json, first_video_frame_is_key, wait_until

CLIP_SECONDS = 20.0


def rtsp_push(clip, url, realtime=False):
    cmd = (["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin"] + (["-re"] if realtime else [])
           + ["-i", str(clip), "-c", "copy", "-f", "rtsp", "-rtsp_transport", "tcp", url])
    result = subprocess.run(cmd, capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr.decode(errors="replace")


@pytest.mark.parametrize("codec", ["h264", "h265"])
def test_rtsp_push_is_stored_like_an_http_push(server, clips, tmp_path, codec):
    stream = f"rtsp-{codec}"
    rtsp_push(clips[codec], f"{server.rtsp_url}/{stream}")
    server.wait_idle(stream)
    description = server.json(f"/streams/{stream}")
    assert description["video"]["codec"] == ("h264" if codec == "h264" else "hevc")
    assert (description["video"]["width"], description["video"]["height"]) == (320, 240)
    assert description["audio"]["codec"] == "aac"
    fragments = server.fragments(stream)
    assert len(fragments) == 10
    total = sum(f["duration"] for f in fragments)
    assert abs(total - CLIP_SECONDS) <= 2.0 / FPS, total
    for f in fragments:
        status, _, body = server.request("GET", f"/streams/{stream}/fragments/{f['number']}")
        path = tmp_path / f"{f['number']}.mp4"
        path.write_bytes(body)
        assert status == 200 and first_video_frame_is_key(path)
    status, _, body = server.request("GET", f"/streams/{stream}/media")
    whole = tmp_path / "whole.mp4"
    whole.write_bytes(body)
    assert decoded_video_frames(whole) == int(CLIP_SECONDS * FPS)
    # Frames keep the encoder's own RTP times: evenly spaced, none rounded to a coarser clock.
    frames = ffprobe_json(whole, "-select_streams", "v:0", "-show_entries", "frame=pts_time")["frames"]
    times = [float(f["pts_time"]) for f in frames]
    assert all(abs((b - a) - 1 / FPS) < 2e-6 for a, b in zip(times, times[1:])), times[:20]
    info = ffprobe_json(whole, "-show_entries", "stream=codec_type,duration")
    assert {s["codec_type"] for s in info["streams"]} == {"video", "audio"}
    # Frame analysis follows every ingest protocol.
    assert description["analysis"]["status"]["framesDecoded"] > 0


class RTSPClient:
    def __init__(self, url):
        host, port = url[len("rtsp://"):].split(":")
        self.sock = socket.create_connection((host, int(port)), timeout=10)
        self.base = url
        self.cseq = 0

    def request(self, method, path, headers=None, body=b""):
        self.cseq += 1
        lines = [f"{method} {self.base}/{path} RTSP/1.0", f"CSeq: {self.cseq}"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        if body:
            lines.append(f"Content-Length: {len(body)}")
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        return self.read_response()

    def read_response(self):
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = self.sock.recv(4096)
            if not chunk:
                return None, data
            data += chunk
        status = int(data.split(b" ", 2)[1])
        return status, data

    def close(self):
        self.sock.close()


SDP_H264 = (b"v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=cam\r\nt=0 0\r\n"
            b"m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"
            b"a=fmtp:96 packetization-mode=1\r\na=control:streamid=0\r\n")


def test_hostile_rtsp_gets_rtsp_errors_and_other_streams_carry_on(server, clips):
    good = threading.Thread(target=rtsp_push, args=(clips["short"], f"{server.rtsp_url}/rtsp-good"), kwargs={"realtime": True})
    good.start()
    try:
        assert wait_until(lambda: server.request("GET", "/streams/rtsp-good")[0] == 200
                          and server.json("/streams/rtsp-good").get("source") is not None, timeout=20)
        time.sleep(2.5)
        source = server.json("/streams/rtsp-good")["source"]
        assert source["protocol"] == "rtsp" and source["remoteAddress"].startswith("[IPv4]127.0.0.1")
        assert source["producerClock"] == "rtcp-sender-report", source
        assert 100_000 < source["bitrate"] < 2_000_000 and source["packetsLost"] == 0, source
        cases = [
            ("DESCRIBE", "x", {}, b"", 405),
            ("ANNOUNCE", "bad", {"Content-Type": "application/sdp"}, b"", 400),
            ("ANNOUNCE", "bad", {"Content-Type": "application/sdp"}, b"this is not sdp", 400),
            ("ANNOUNCE", "bad", {}, b"v=0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\n", 415),
            ("ANNOUNCE", "bad%20name", {}, SDP_H264, 400),
            ("RECORD", "bad", {}, b"", 455),
            ("FLY", "bad", {}, b"", 501),
        ]
        for method, path, headers, body, expected in cases:
            client = RTSPClient(server.rtsp_url)
            status, reply = client.request(method, path, headers, body)
            assert status == expected, (method, path, reply)
            client.close()

        # UDP transport is refused with 461; the session can still be set up over TCP.
        client = RTSPClient(server.rtsp_url)
        assert client.request("OPTIONS", "rtsp-udp")[0] == 200
        assert client.request("ANNOUNCE", "rtsp-udp", {"Content-Type": "application/sdp"}, SDP_H264)[0] == 200
        status, _ = client.request("SETUP", "rtsp-udp/streamid=0", {"Transport": "RTP/AVP;unicast;client_port=5000-5001;mode=record"})
        assert status == 461
        status, reply = client.request("SETUP", "rtsp-udp/streamid=0", {"Transport": "RTP/AVP/TCP;unicast;interleaved=0-1;mode=record"})
        assert status == 200 and b"Session:" in reply
        session = reply.split(b"Session: ")[1].split(b";")[0].split(b"\r\n")[0].decode()
        assert client.request("RECORD", "rtsp-udp", {"Session": "nope"})[0] == 454
        assert client.request("RECORD", "rtsp-udp", {"Session": session})[0] == 200
        # RTP with a wrong version, an unknown payload type and a fragment without a start: ignored.
        for payload in [bytes([0x00, 96, 0, 1]) + bytes(20), bytes([0x80, 99, 0, 2]) + bytes(20),
                        bytes([0x80, 96, 0, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0x7C, 0x05]) + bytes(30)]:
            client.sock.sendall(b"$\x00" + len(payload).to_bytes(2, "big") + payload)
        assert client.request("GET_PARAMETER", "rtsp-udp", {"Session": session})[0] == 200
        assert client.request("TEARDOWN", "rtsp-udp", {"Session": session})[0] == 200
        client.close()

        # Garbage and oversized headers close the connection with an RTSP error.
        client = RTSPClient(server.rtsp_url)
        client.sock.sendall(b"\x16\x03\x01\x02 garbage\r\n\r\n")
        status, _ = client.read_response()
        assert status == 400
        client.close()
        client = RTSPClient(server.rtsp_url)
        client.sock.sendall(b"OPTIONS rtsp://x/y RTSP/1.0\r\nX-Big: " + b"a" * 20000)
        status, _ = client.read_response()
        assert status == 431
        client.close()
    finally:
        good.join()
    server.wait_idle("rtsp-good")
    assert len(server.fragments("rtsp-good")) == 3
    assert server.request("GET", "/streams/rtsp-udp")[0] == 404, "nothing decodable was stored"


@pytest.mark.skipif(subprocess.run(["sh", "-c", "gst-inspect-1.0 rtspclientsink && gst-inspect-1.0 x264enc"],
                                   capture_output=True).returncode != 0,
                    reason="GStreamer rtspclientsink/x264enc not installed")
def test_gstreamer_rtspclientsink_push(server):
    push = subprocess.Popen(["gst-launch-1.0", "-q", "videotestsrc", "num-buffers=150", "!",
                             "video/x-raw,width=320,height=240,framerate=15/1", "!",
                             "x264enc", "key-int-max=30", "tune=zerolatency", "speed-preset=veryfast", "!", "h264parse", "!",
                             "rtspclientsink", f"location={server.rtsp_url}/rtsp-gst", "protocols=tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        push.wait(timeout=40)
    except subprocess.TimeoutExpired:
        # rtspclientsink 1.22 sometimes never sends TEARDOWN after its last frame when the machine
        # is starved of CPU (seen with its debug log: all data sent, then only RTCP). Closing the
        # connection is then how the push ends, which videod must handle the same way.
        push.kill()
    stderr = push.communicate()[1].decode(errors="replace")
    assert push.returncode in (0, -9), stderr
    server.wait_idle("rtsp-gst")
    description = server.json("/streams/rtsp-gst")
    assert description["video"] == {"kind": "video", "codec": "h264", "width": 320, "height": 240}
    fragments = server.fragments("rtsp-gst")
    assert len(fragments) == 5
    assert abs(sum(f["duration"] for f in fragments) - 10.0) <= 2.0 / FPS
