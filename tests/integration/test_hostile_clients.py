"""A real videod under a stream of hostile clients — mutated RTSP sessions, pushes, Kinesis requests
and settings bodies from a seeded generator — beside a good push that must come through whole.
The process must be alive at the end and every stream but the hostile ones untouched."""
import base64
import json
import os
import random
import socket
import subprocess
import threading
import time
import urllib.parse

from videod import decoded_video_frames, push_command

SECONDS = float(os.environ.get("VIDEOD_HOSTILE_SECONDS", "30"))
SDP = ("v=0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"
       "a=fmtp:96 packetization-mode=1;sprop-parameter-sets=Z0IAH5WoFAFuQA==,aM48gA==\r\na=control:streamid=0\r\n"
       "m=audio 0 RTP/AVP 97\r\na=rtpmap:97 MPEG4-GENERIC/48000/2\r\n"
       "a=fmtp:97 mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3;config=1190\r\na=control:streamid=1\r\n")


def mutate(rng, data, max_edits=8):
    data = bytearray(data)
    for _ in range(rng.randint(1, max_edits)):
        choice = rng.random()
        position = rng.randrange(len(data) + 1)
        if choice < 0.3 and data:
            data[min(position, len(data) - 1)] = rng.randrange(256)
        elif choice < 0.5:
            data[position:position] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        elif choice < 0.7 and data:
            del data[position:position + rng.randint(1, 32)]
        elif choice < 0.85:
            data[position:position] = rng.choice([b"9223372036854775807", b"-1", b"1e300", b"NaN", b"\x00" * 8, b"\xff" * 8])
        else:
            data = data[:position]
    return bytes(data)


def rtsp_session(stream):
    url = f"rtsp://127.0.0.1/{stream}"
    body = SDP.encode()
    rtp = bytes([0x80, 0xE0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0x65, 0x88, 0x84, 0x00, 0x10])
    return (f"ANNOUNCE {url} RTSP/1.0\r\nCSeq: 1\r\nContent-Type: application/sdp\r\nContent-Length: {len(body)}\r\n\r\n".encode()
            + body + f"SETUP {url}/streamid=0 RTSP/1.0\r\nCSeq: 2\r\nTransport: RTP/AVP/TCP;interleaved=0-1;mode=record\r\n\r\n".encode()
            + f"RECORD {url} RTSP/1.0\r\nCSeq: 3\r\nSession: 1\r\n\r\n".encode()
            + (b"$\x00" + len(rtp).to_bytes(2, "big") + rtp) * 20)


def hostile(server, seed, deadline, counts):
    rng = random.Random(seed)
    http = urllib.parse.urlparse(server.url)
    rtsp = urllib.parse.urlparse(server.rtsp_url)
    kinesis_bodies = [
        ("PutRecords", json.dumps({"StreamName": "hostile", "Records": [{"Data": base64.b64encode(b"x" * 50).decode(), "PartitionKey": "k"}]})),
        ("GetShardIterator", json.dumps({"StreamName": "hostile", "ShardId": "shardId-000000000000",
                                         "ShardIteratorType": "AT_TIMESTAMP", "Timestamp": 1795712400.5})),
        ("GetShardIterator", json.dumps({"StreamName": "hostile", "ShardId": "shardId-000000000000",
                                         "ShardIteratorType": "AFTER_SEQUENCE_NUMBER",
                                         "StartingSequenceNumber": "4900000000000000000000000001"})),
        ("CreateStream", json.dumps({"StreamName": "hostile", "ShardCount": 1})),
        ("ListShards", json.dumps({"StreamName": "hostile", "MaxResults": 5})),
    ]
    settings = json.dumps({"sensitivity": 0.5, "frameRate": 10, "width": 160, "mask": [[[0, 0], [1, 0], [1, 1]]]})
    while time.time() < deadline:
        kind = rng.randrange(4)
        try:
            if kind == 0:
                with socket.create_connection((rtsp.hostname, rtsp.port), timeout=2) as s:
                    s.sendall(mutate(rng, rtsp_session(f"h{seed}")))
                    s.settimeout(0.2)
                    try:
                        s.recv(4096)
                    except OSError:
                        pass
            elif kind == 1:
                server.request("POST", f"/streams/hpush{seed}/ingest", data=mutate(rng, server.hostile_media, 30),
                               headers={"Content-Type": rng.choice(["video/mp4", "video/mp2t", "video/x-matroska", "x/y"])})
            elif kind == 2:
                operation, body = rng.choice(kinesis_bodies)
                server.request("POST", "/", data=mutate(rng, body.encode()), headers={
                    "X-Amz-Target": "Kinesis_20131202." + operation,
                    "Content-Type": rng.choice(["application/x-amz-json-1.1", "application/x-amz-cbor-1.1"])})
            else:
                server.request("PUT", f"/streams/hset{seed}/analysis", data=mutate(rng, settings.encode()))
            counts[kind] += 1
        except OSError:
            counts[kind] += 1  # refused or reset: fine, as long as the server lives


def test_hostile_clients_beside_a_good_push(fresh_server, clips, tmp_path):
    server = fresh_server()
    server.hostile_media = clips["short"].read_bytes()[:200_000]
    deadline = time.time() + SECONDS
    counts = [0, 0, 0, 0]
    threads = [threading.Thread(target=hostile, args=(server, seed, deadline, counts), daemon=True) for seed in range(3)]
    for thread in threads:
        thread.start()
    good = subprocess.run(push_command(clips["h264"], server.ingest_url("good"), "mpegts", realtime=True),
                          capture_output=True, timeout=120)
    for thread in threads:
        thread.join(SECONDS + 60)
    assert server.process.poll() is None, "the process must survive"
    assert server.request("GET", "/health")[0] == 200
    assert good.returncode == 0, good.stderr
    server.wait_idle("good")
    fragments = server.fragments("good")
    assert len(fragments) == 10, "the good push came through whole (20 s in 2 s fragments)"
    status, _, media = server.request("GET", "/streams/good/media")
    assert status == 200
    (tmp_path / "good.mp4").write_bytes(media)
    assert decoded_video_frames(tmp_path / "good.mp4") == 20 * 15
    assert min(counts) > 10, counts
