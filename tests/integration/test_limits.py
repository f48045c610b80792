"""What a server on a network must have: caps on connections and sessions, and idle timeouts that
free a stalled camera's stream while keeping what it pushed."""
import json
import socket
import subprocess
import time
import urllib.parse

from videod import push_command, wait_until


def rtsp_socket(server):
    host, port = urllib.parse.urlparse(server.rtsp_url).hostname, urllib.parse.urlparse(server.rtsp_url).port
    return socket.create_connection((host, port), timeout=5)


def options(sock):
    sock.sendall(b"OPTIONS rtsp://127.0.0.1/cam RTSP/1.0\r\nCSeq: 1\r\n\r\n")
    return sock.recv(4096)


def closed_by_peer(sock, timeout=5):
    sock.settimeout(timeout)
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True


def test_connections_past_the_cap_are_closed_and_the_others_served(fresh_server):
    server = fresh_server("--max-connections", "1")
    first = rtsp_socket(server)
    assert options(first).startswith(b"RTSP/1.0 200")
    second = rtsp_socket(server)
    assert closed_by_peer(second), "the second connection is over the cap"
    assert options(first).startswith(b"RTSP/1.0 200"), "the first is unaffected"
    first.close()

    def served():
        # Until the server has seen the first connection close, a new one is still over the cap.
        try:
            return options(rtsp_socket(server)).startswith(b"RTSP/1.0 200")
        except OSError:
            return False

    assert wait_until(served, timeout=10)

    # HTTP too: a second open connection is answered 503 (in the API's JSON) and closed.
    host, port = urllib.parse.urlparse(server.url).hostname, urllib.parse.urlparse(server.url).port
    held = socket.create_connection((host, port), timeout=5)
    held.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
    assert held.recv(4096).startswith(b"HTTP/1.1 200")
    status, _, body = server.request("GET", "/health")
    assert status == 503 and json.loads(body)["error"] == "ServiceUnavailable"
    held.close()
    assert wait_until(lambda: server.request("GET", "/health")[0] == 200, timeout=10)


def test_pushes_past_the_session_cap_get_503(fresh_server, clips):
    server = fresh_server("--max-ingest-sessions", "1")
    slow = subprocess.Popen(push_command(clips["h264"], server.ingest_url("first"), "mpegts", realtime=True),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_until(lambda: server.request("GET", "/streams/first")[0] == 200
                          and json.loads(server.request("GET", "/streams/first")[2])["ingesting"], timeout=30)
        status, _, body = server.request("POST", "/streams/second/ingest", data=b"\x00" * 1000)
        assert status == 503 and json.loads(body)["error"] == "ServiceUnavailable", body
    finally:
        slow.kill()
        slow.wait()


def test_a_stalled_push_is_ended_its_fragments_kept_and_its_stream_freed(fresh_server, clips, tmp_path):
    server = fresh_server("--idle-timeout", "2")
    fragmented = tmp_path / "clip.mp4"
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", str(clips["h264"]), "-c", "copy", "-f", "mp4",
                    "-movflags", "frag_keyframe+empty_moov+default_base_moof", str(fragmented)], check=True, timeout=60)
    data = fragmented.read_bytes()
    host, port = urllib.parse.urlparse(server.url).hostname, urllib.parse.urlparse(server.url).port
    sock = socket.create_connection((host, port), timeout=10)
    sock.sendall(b"POST /streams/stalled/ingest HTTP/1.1\r\nHost: x\r\nContent-Type: video/mp4\r\n"
                 b"Transfer-Encoding: chunked\r\n\r\n")
    part = data[: len(data) // 2]
    sock.sendall(b"%x\r\n" % len(part) + part + b"\r\n")
    # ... and then nothing: a camera that hung.
    assert wait_until(lambda: server.request("GET", "/streams/stalled")[0] == 200, timeout=10)
    started = time.time()
    assert wait_until(lambda: not json.loads(server.request("GET", "/streams/stalled")[2])["ingesting"], timeout=20)
    assert time.time() - started < 15
    assert json.loads(server.request("GET", "/streams/stalled")[2])["fragmentCount"] >= 3, "what it pushed is kept"
    sock.close()
    # The stream takes a new push at once.
    result = subprocess.run(push_command(clips["short"], server.ingest_url("stalled"), "mp4"), capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_a_silent_rtsp_connection_is_closed_after_its_advertised_timeout(fresh_server):
    server = fresh_server("--rtsp-session-timeout", "2")
    sock = rtsp_socket(server)
    assert options(sock).startswith(b"RTSP/1.0 200")
    started = time.time()
    assert closed_by_peer(sock, timeout=10)
    assert time.time() - started < 8


def test_a_second_raw_tcp_push_to_a_busy_stream_is_refused_and_the_server_lives(fresh_server, clips):
    server = fresh_server("--tcp-ingest", "cam=0")
    host, port = server.tcp_urls["cam"]
    first = socket.create_connection((host, port), timeout=5)
    first.sendall(clips["short"].read_bytes()[:4096])
    time.sleep(0.5)  # the first connection's session holds the stream
    second = socket.create_connection((host, port), timeout=5)
    second.sendall(b"\x00" * 100)
    assert closed_by_peer(second)
    assert server.request("GET", "/health")[0] == 200, "one refused connection must not stop the server"
    first.close()
