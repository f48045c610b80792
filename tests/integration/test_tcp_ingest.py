"""Raw TCP ingest (`--tcp-ingest NAME=PORT`): a device opens a socket and writes a container."""
import socket
import subprocess

import pytest

from videod import MUXER_ARGS, wait_until


def remux(clip, path, container):
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", str(clip), "-c", "copy",
                    *MUXER_ARGS[container], str(path)], check=True, timeout=120)
    return path


def send(address, data):
    with socket.create_connection(address, timeout=10) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        sock.settimeout(30)
        while sock.recv(4096):
            pass


def test_each_container_over_a_bare_socket(fresh_server, clips, tmp_path):
    server = fresh_server("--tcp-ingest", "cam3=0", "--tcp-ingest", "cam4=0")
    expected = 0
    for container in ["mp4", "mpegts", "matroska"]:
        data = remux(clips["short"], tmp_path / f"short.{container}", container).read_bytes()
        send(server.tcp_urls["cam3"], data)
        expected += 3
        assert wait_until(lambda: server.request("GET", "/streams/cam3")[0] == 200
                          and server.json("/streams/cam3")["fragmentCount"] == expected
                          and not server.json("/streams/cam3")["ingesting"], timeout=30), container
    fragments = server.fragments("cam3", page_size=100)
    assert len(fragments) == 9
    for a, b in zip(fragments, fragments[1:]):
        assert a["producerTimestamp"] + a["duration"] <= b["producerTimestamp"] + 0.002

    # Garbage: the connection is dropped, nothing is stored, the other stream is unaffected.
    send(server.tcp_urls["cam4"], b"\x00garbage" * 5000)
    assert server.request("GET", "/streams/cam4")[0] == 404
    assert server.json("/streams/cam3")["fragmentCount"] == 9
    assert "TCP ingest ended" in server.log_path.read_text()


def test_tcp_ingest_flag_is_validated(tmp_path):
    from videod import BIN
    for bad in ["cam3", "bad name=9001", "cam3=10.0.0.1:9001"]:
        result = subprocess.run([BIN, "serve", "--data", str(tmp_path / "d"), "--http", "127.0.0.1:0",
                                 "--rtsp", "127.0.0.1:0", "--tcp-ingest", bad], capture_output=True, timeout=60)
        assert result.returncode != 0 and b"tcp" in result.stderr.lower(), (bad, result.stderr)
