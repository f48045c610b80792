#!/usr/bin/env python3
"""Writes the small seed corpora of the libFuzzer harnesses (Fuzz/corpus/<harness>/). Seeds are
valid inputs of each parser, so that fuzzing starts from the shapes real clients send."""
import base64
import pathlib
import struct

ROOT = pathlib.Path(__file__).resolve().parent / "corpus"


def pieces(*parts):
    return b"".join(struct.pack(">H", len(p)) + p for p in parts)


def seed(harness, name, data):
    folder = ROOT / harness
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data if isinstance(data, bytes) else data.encode())


SDP = ("v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=No Name\r\nt=0 0\r\nm=video 0 RTP/AVP 96\r\n"
       "a=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1; sprop-parameter-sets=Z0IAH5WoFAFuQA==,aM48gA==\r\n"
       "a=control:streamid=0\r\nm=audio 0 RTP/AVP 97\r\na=rtpmap:97 MPEG4-GENERIC/48000/2\r\n"
       "a=fmtp:97 profile-level-id=1;mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3; config=1190\r\n"
       "a=control:streamid=1\r\n")


def rtp(seq, ts, payload, marker=True, pt=96):
    return bytes([0x80, (0x80 if marker else 0) | pt]) + struct.pack(">HII", seq, ts, 1) + payload


def request(method, uri, cseq, headers=(), body=b""):
    lines = [f"{method} {uri} RTSP/1.0", f"CSeq: {cseq}", *headers]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def main():
    url = "rtsp://127.0.0.1:8554/cam"
    session = [request("OPTIONS", url, 1), request("ANNOUNCE", url, 2, ["Content-Type: application/sdp"], SDP.encode()),
               request("SETUP", url + "/streamid=0", 3, ["Transport: RTP/AVP/TCP;unicast;interleaved=0-1;mode=record"]),
               request("RECORD", url, 4, ["Session: 1"]),
               b"$\x00" + struct.pack(">H", 17) + rtp(1, 90000, b"\x65\x88\x84\x00\x10")]
    seed("rtsp", "session", pieces(*session))
    seed("sdp", "announce", SDP)

    sps, pps, idr, sl = b"\x67\x42\x00\x1f", b"\x68\xce\x3c\x80", b"\x65\x88\x84\x00\x10", b"\x41\x9a\x02"
    stap = b"\x78" + b"".join(struct.pack(">H", len(n)) + n for n in (sps, pps))
    seed("rtp-h264", "stream", pieces(rtp(1, 1000, stap, False), rtp(2, 1000, b"\x7c\x85" + b"\x01" * 20, False),
                                      rtp(3, 1000, b"\x7c\x45" + b"\x02" * 20), rtp(4, 4000, sl)))
    vps, hsps, hpps = b"\x40\x01\x0c\x01", b"\x42\x01\x01\x01", b"\x44\x01\xc1\x72"
    ap = b"\x60\x01" + b"".join(struct.pack(">H", len(n)) + n for n in (vps, hsps, hpps))
    seed("rtp-h265", "stream", pieces(rtp(1, 1000, ap, False), rtp(2, 1000, b"\x62\x01\x93" + b"\x01" * 20, False),
                                      rtp(3, 1000, b"\x62\x01\x53" + b"\x02" * 20), rtp(4, 4000, b"\x02\x01\xd0")))
    au = lambda size: struct.pack(">H", size << 3)
    seed("rtp-aac", "stream", pieces(b"mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3",
                                     rtp(1, 48000, b"\x00\x20" + au(3) + au(2) + b"\x01\x02\x03\x04\x05", pt=97),
                                     rtp(2, 50048, b"\x00\x10" + au(300) + b"\x07" * 100, False, 97)))
    seed("rtcp", "sender-report", bytes([0x80, 200, 0, 6]) + struct.pack(">IIIIII", 1, 3_000_000_000, 1 << 31, 90000, 10, 1000))

    seed("json", "get-shard-iterator", '{"StreamName":"ev","ShardId":"shardId-000000000000","ShardIteratorType":"AT_TIMESTAMP",'
                                       '"Timestamp":1795712400.25,"Tags":{"a":"b"},"Keys":["x"],"Data":"aGk=","Limit":5}')
    seed("putrecords-json", "batch", '{"StreamName":"ev","Records":[{"Data":"aGVsbG8=","PartitionKey":"cam1"},'
                                     '{"Data":"","PartitionKey":"k","ExplicitHashKey":"42"}]}')
    # {"StreamName": "ev", "Timestamp": 1(1795712400250), "Data": h'00ff', "Limit": 1.5}
    seed("cbor", "request", bytes([0xA4, 0x6A]) + b"StreamName" + bytes([0x62]) + b"ev" + bytes([0x69]) + b"Timestamp"
         + bytes([0xC1, 0x1B]) + struct.pack(">Q", 1795712400250) + bytes([0x64]) + b"Data" + bytes([0x42, 0x00, 0xFF])
         + bytes([0x65]) + b"Limit" + bytes([0xFB]) + struct.pack(">d", 1.5))
    seed("base64", "padded", base64.b64encode(b"hello world"))
    seed("base64", "url", base64.urlsafe_b64encode(b"\xfb\xff\xfe").rstrip(b"="))
    seed("tokens", "sequence", "4900000100000000000000000042")
    seed("tokens", "shard", "shardId-000000000001")
    seed("tokens", "arn", "arn:aws:kinesis:us-east-1:000000000000:stream/ev")
    seed("sigv4", "header", pieces(b"AWS4-HMAC-SHA256 Credential=AKFUZZ/20261201/us-east-1/kinesis/aws4_request, "
                                   b"SignedHeaders=host;x-amz-date, Signature=" + b"0" * 64,
                                   b"20261201T120000Z", b"/streams/cam%201", b"b=2&a=1"))
    seed("digest", "digest", 'Digest username="AKFUZZ", realm="videod", nonce="0123456789abcdef0123456789abcdef", '
                             'uri="rtsp://127.0.0.1/cam", response="00000000000000000000000000000000", qop=auth, nc=00000001, cnonce="x"')
    seed("digest", "basic", "Basic " + base64.b64encode(b"AKFUZZ:wrong").decode())
    seed("timestamp", "rfc3339", "2026-11-26T17:00:00.25+01:00")
    seed("timestamp", "epoch", "1795712400.000001")
    seed("settings", "full", '{"enabled":true,"detectors":["motion"],"sensitivity":0.7,"minObjectArea":0.01,'
                             '"mask":[[[0,0],[0.5,0],[0.5,1]]],"frameRate":5,"width":320,"eventGap":3,"dataStream":"ev"}')

    def box(kind, payload):
        return struct.pack(">I", 8 + len(payload)) + kind + payload
    mdhd = box(b"mdhd", b"\x00\x00\x00\x00" + struct.pack(">III", 0, 0, 90000) + b"\x00" * 8)
    tkhd = box(b"tkhd", b"\x00\x00\x00\x03" + struct.pack(">III", 0, 0, 1) + b"\x00" * 64)
    init = box(b"ftyp", b"isom") + box(b"moov", box(b"trak", tkhd + box(b"mdia", mdhd)))
    tfhd = box(b"tfhd", b"\x00\x02\x00\x00" + struct.pack(">I", 1))
    tfdt = box(b"tfdt", b"\x01\x00\x00\x00" + struct.pack(">Q", 180000))
    fragment = box(b"moof", box(b"mfhd", b"\x00" * 8) + box(b"traf", tfhd + tfdt)) + box(b"mdat", b"\x01\x02\x03")
    seed("mp4", "fragment", pieces(init, fragment))
    # A push as it arrives: init, three fragments, cut into network-sized pieces.
    stream = init + fragment * 3
    seed("mp4-legs", "push", pieces(*[stream[i:i + 37] for i in range(0, len(stream), 37)]))
    seed("sniff", "mp4", init)
    seed("sniff", "ts", (b"\x47" + b"\x00" * 187) * 3)
    seed("sniff", "mkv", b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x88matroska")
    ebml = lambda id_, data: id_ + bytes([0x01]) + len(data).to_bytes(7, "big") + data
    unknown = lambda id_, data: id_ + bytes([0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]) + data
    block = ebml(b"\xa3", b"\x81\x00\x00\x80" + b"\x09" * 20)
    clusters = b"".join(unknown(b"\x1f\x43\xb6\x75", ebml(b"\xe7", t.to_bytes(2, "big")) + block * 2) for t in (0, 2000))
    mkv = ebml(b"\x1a\x45\xdf\xa3", b"\x42\x82\x88matroska") + unknown(b"\x18\x53\x80\x67",
              ebml(b"\x15\x49\xa9\x66", b"\x2a\xd7\xb1\x83\x0f\x42\x40") + clusters)
    seed("matroska-clusters", "live", pieces(mkv[:40], mkv[40:90], mkv[90:]))
    # A length-prefixed H.264 picture (SEI, slice, filler) and an Annex B H.265 one (AUD, slice).
    seed("nal-units", "avc-4", b"\x06" + b"".join(struct.pack(">I", len(u)) + u for u in
                                                 (b"\x06\x05\x01\x80", b"\x41\x9a" + b"\x33" * 40, b"\x0c" + b"\xff" * 9)))
    seed("nal-units", "hevc-annexb", b"\x01" + b"\x00\x00\x00\x01\x46\x01\x50" + b"\x00\x00\x01\x02\x01" + b"\x44" * 30)
    seed("adts", "frame", bytes([0xFF, 0xF1, 0x50, 0x80, 0x02, 0x1F, 0xFC]) + b"\x21\x10\x05" * 5)


if __name__ == "__main__":
    main()
