"""HLS and DASH sessions as KVS hands them out: boto3's GetHLS/GetDASHStreamingSessionURL give URLs
that ffprobe plays (fMP4 segments are the stored fragments; MPEG-TS remuxed; DASH per track);
ON_DEMAND plays exactly the range asked, LIVE follows a push; tokens are checked on every request
and bad requests get KVS's errors."""
import base64
import datetime
import hashlib
import hmac
import pathlib
import re
import subprocess
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree

import boto3
import botocore
import m3u8
import pytest

from videod import decoded_video_frames, ffprobe_json, push_command, wait_until

KW = dict(region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test",
          config=botocore.config.Config(retries={"max_attempts": 1}))


@pytest.fixture
def archive(server):
    return boto3.client("kinesis-video-archived-media", endpoint_url=server.url, **KW)


def fragments(archive, stream):
    return archive.list_fragments(StreamName=stream, FragmentSelector={
        "FragmentSelectorType": "SERVER_TIMESTAMP",
        "TimestampRange": {"StartTimestamp": 0, "EndTimestamp": time.time() + 60}})["Fragments"]


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode()


def media_playlist_url(master_url):
    master = fetch(master_url)
    return master_url.rsplit("/", 1)[0] + "/" + master.strip().splitlines()[-1]


def test_on_demand_plays_exactly_the_range_asked(server, archive, clips):
    server.push(clips["h264"], "hls-vod", "mp4")
    listed = sorted(fragments(archive, "hls-vod"), key=lambda f: f["ProducerTimestamp"])
    assert len(listed) == 10
    # boto3 sends whole seconds: one second past a fragment's start falls inside it (2 s long).
    second = datetime.timedelta(seconds=1)
    # The whole stream: every frame pushed, 20 s.
    url = archive.get_hls_streaming_session_url(
        StreamName="hls-vod", PlaybackMode="ON_DEMAND",
        HLSFragmentSelector={"FragmentSelectorType": "PRODUCER_TIMESTAMP", "TimestampRange": {
            "StartTimestamp": listed[0]["ProducerTimestamp"] - second,
            "EndTimestamp": listed[-1]["ProducerTimestamp"] + second}})["HLSStreamingSessionURL"]
    assert "/hls/v1/getHLSMasterPlaylist.m3u8?SessionToken=" in url
    master = fetch(url)
    assert re.search(r'CODECS="avc1\.[0-9a-f]{6},mp4a\.40\.2"', master) and "RESOLUTION=320x240" in master
    media = fetch(media_playlist_url(url))
    assert media.count("#EXTINF:") == 10 and media.rstrip().endswith("#EXT-X-ENDLIST")
    assert decoded_video_frames(url) == 300
    assert abs(float(ffprobe_json(url, "-show_entries", "format=duration")["format"]["duration"]) - 20) < 0.2
    # From inside the third fragment to inside the fourth: those two, the first from its key frame.
    url = archive.get_hls_streaming_session_url(
        StreamName="hls-vod", PlaybackMode="ON_DEMAND", DisplayFragmentTimestamp="ALWAYS",
        HLSFragmentSelector={"FragmentSelectorType": "PRODUCER_TIMESTAMP", "TimestampRange": {
            "StartTimestamp": listed[2]["ProducerTimestamp"] + second,
            "EndTimestamp": listed[3]["ProducerTimestamp"] + second}})["HLSStreamingSessionURL"]
    media = fetch(media_playlist_url(url))
    assert media.count("#EXTINF:") == 2 and media.count("#EXT-X-PROGRAM-DATE-TIME:") == 2
    assert f"FragmentNumber={listed[2]['FragmentNumber']}&" in media
    assert decoded_video_frames(url) == 60


def test_playlists_follow_the_hls_rules_and_mark_a_pushed_gap(server, archive, clips):
    # Two pushes with a pause: a gap on the producer clock between their fragments (a push at full
    # speed runs its producer clock up to 6 s ahead of the wall clock, which a later push continues).
    server.push(clips["short"], "hls-gap", "mp4")
    time.sleep(9)
    server.push(clips["short"], "hls-gap", "mp4")
    listed = sorted(fragments(archive, "hls-gap"), key=lambda f: f["ProducerTimestamp"])
    assert len(listed) == 6
    second = datetime.timedelta(seconds=1)
    selector = {"FragmentSelectorType": "PRODUCER_TIMESTAMP", "TimestampRange": {
        "StartTimestamp": listed[0]["ProducerTimestamp"] - second, "EndTimestamp": listed[-1]["ProducerTimestamp"] + second}}
    for mode, breaks in [("ON_DISCONTINUITY", [3]), ("ALWAYS", [1, 2, 3, 4, 5])]:
        url = archive.get_hls_streaming_session_url(StreamName="hls-gap", PlaybackMode="ON_DEMAND", DiscontinuityMode=mode,
                                                    HLSFragmentSelector=selector)["HLSStreamingSessionURL"]
        playlist = m3u8.loads(fetch(media_playlist_url(url)))
        assert playlist.is_endlist and playlist.version == 7 and len(playlist.segments) == 6
        assert all(segment.duration <= playlist.target_duration for segment in playlist.segments)
        assert [i for i, segment in enumerate(playlist.segments) if segment.discontinuity] == breaks, mode
        assert playlist.segment_map and playlist.segment_map[0].uri.startswith("getMP4InitFragment.mp4?")


def test_mpeg_ts_sessions_remux_each_fragment(server, archive, clips, tmp_path):
    server.push(clips["h265"], "hls-ts", "mp4")
    listed = sorted(fragments(archive, "hls-ts"), key=lambda f: f["ProducerTimestamp"])
    second = datetime.timedelta(seconds=1)
    url = archive.get_hls_streaming_session_url(
        StreamName="hls-ts", PlaybackMode="ON_DEMAND", ContainerFormat="MPEG_TS",
        HLSFragmentSelector={"FragmentSelectorType": "PRODUCER_TIMESTAMP", "TimestampRange": {
            "StartTimestamp": listed[0]["ProducerTimestamp"] - second,
            "EndTimestamp": listed[-1]["ProducerTimestamp"] + second}})["HLSStreamingSessionURL"]
    media = fetch(media_playlist_url(url))
    assert "#EXT-X-VERSION:3" in media and "#EXT-X-MAP" not in media and media.count("getTSFragment.ts?") == 10
    segment = urllib.request.urlopen(media_playlist_url(url).rsplit("/", 1)[0] + "/"
                                     + re.search(r"^getTSFragment\.ts\?.*$", media, re.M).group(0), timeout=30).read()
    assert segment[0] == 0x47 and len(segment) % 188 == 0, "whole transport stream packets"
    path = tmp_path / "one.ts"
    path.write_bytes(segment)
    assert {s["codec_name"] for s in ffprobe_json(path, "-show_entries", "stream=codec_name")["streams"]} == {"hevc", "aac"}
    assert decoded_video_frames(path) == 30
    assert decoded_video_frames(url) == 300


def test_dash_serves_each_track_as_its_own_representation(server, archive, clips, tmp_path):
    server.push(clips["h264"], "dash-vod", "mp4")
    listed = sorted(fragments(archive, "dash-vod"), key=lambda f: f["ProducerTimestamp"])
    second = datetime.timedelta(seconds=1)
    url = archive.get_dash_streaming_session_url(
        StreamName="dash-vod", PlaybackMode="ON_DEMAND",
        DASHFragmentSelector={"FragmentSelectorType": "PRODUCER_TIMESTAMP", "TimestampRange": {
            "StartTimestamp": listed[0]["ProducerTimestamp"] - second,
            "EndTimestamp": listed[-1]["ProducerTimestamp"] + second}})["DASHStreamingSessionURL"]
    assert "/dash/v1/getDASHManifest.mpd?SessionToken=" in url
    mpd = fetch(url)
    assert 'type="static"' in mpd and mpd.count("<AdaptationSet") == 2 and mpd.count("<SegmentURL") == 20
    assert decoded_video_frames(url) == 300
    assert abs(float(ffprobe_json(url, "-show_entries", "format=duration")["format"]["duration"]) - 20) < 0.3
    # The audio representation's segments hold audio only.
    base = url.rsplit("/", 1)[0] + "/"
    audio_init = re.findall(r'sourceURL="([^"]+)"', mpd)[1].replace("&amp;", "&")
    audio_segment = re.findall(r'media="([^"]+TrackNumber=2)"', mpd)[0].replace("&amp;", "&")
    path = tmp_path / "audio.mp4"
    path.write_bytes(urllib.request.urlopen(base + audio_init, timeout=30).read()
                     + urllib.request.urlopen(base + audio_segment, timeout=30).read())
    assert [s["codec_type"] for s in ffprobe_json(path, "-show_entries", "stream=codec_type")["streams"]] == ["audio"]
    live = archive.get_dash_streaming_session_url(StreamName="dash-vod", PlaybackMode="LIVE_REPLAY", DASHFragmentSelector={
        "FragmentSelectorType": "PRODUCER_TIMESTAMP", "TimestampRange": {"StartTimestamp": listed[0]["ProducerTimestamp"]}})
    assert 'type="dynamic"' in fetch(live["DASHStreamingSessionURL"])


def test_dash_names_each_segments_fragment_and_time_when_asked(server, archive, clips):
    server.push(clips["short"], "dash-fn", "mp4")
    listed = sorted(fragments(archive, "dash-fn"), key=lambda f: f["ProducerTimestamp"])
    second = datetime.timedelta(seconds=1)
    selector = {"FragmentSelectorType": "PRODUCER_TIMESTAMP", "TimestampRange": {
        "StartTimestamp": listed[0]["ProducerTimestamp"] - second, "EndTimestamp": listed[-1]["ProducerTimestamp"] + second}}
    namespace = "{urn:mpeg:dash:schema:mpd:2011}"

    def timelines(**display):
        mpd = fetch(archive.get_dash_streaming_session_url(StreamName="dash-fn", PlaybackMode="ON_DEMAND",
                                                           DASHFragmentSelector=selector, **display)["DASHStreamingSessionURL"])
        root = xml.etree.ElementTree.fromstring(mpd)  # a parser that refuses undeclared prefixes
        return [[s.attrib for s in timeline.iter(namespace + "S")] for timeline in root.iter(namespace + "SegmentTimeline")]

    plain = timelines()
    assert all(set(s) == {"t", "d"} for timeline in plain for s in timeline)
    shown = timelines(DisplayFragmentNumber="ALWAYS", DisplayFragmentTimestamp="ALWAYS")
    kvs = "{" + "urn:videod:kinesis-video:dash" + "}"
    for timeline in shown:  # video and audio
        assert [s[kvs + "fn"] for s in timeline] == [f["FragmentNumber"] for f in listed]
        # kvs:ts is the producer start in whole milliseconds (exact datetime arithmetic: a float
        # product could round the other way).
        epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
        assert [int(s[kvs + "ts"]) for s in timeline] == [(f["ProducerTimestamp"] - epoch) // datetime.timedelta(milliseconds=1)
                                                          for f in listed]
    with pytest.raises(archive.exceptions.InvalidArgumentException):
        timelines(DisplayFragmentNumber="SOMETIMES")

def test_live_follows_a_push_and_slides_its_window(server, archive, clips):
    push = subprocess.Popen(push_command(clips["h264"], server.ingest_url("hls-live"), "mpegts", realtime=True),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        def stored():
            try:
                return len(fragments(archive, "hls-live"))
            except archive.exceptions.ResourceNotFoundException:  # the push has not begun
                return 0

        wait_until(lambda: stored() >= 2, timeout=30)
        url = archive.get_hls_streaming_session_url(StreamName="hls-live", PlaybackMode="LIVE",
                                                    MaxMediaPlaylistFragmentResults=3)["HLSStreamingSessionURL"]
        playlist = media_playlist_url(url)

        def window():
            text = fetch(playlist)
            parsed = m3u8.loads(text)
            assert all(segment.duration <= parsed.target_duration for segment in parsed.segments)
            return parsed.media_sequence, re.findall(r"FragmentNumber=(\d+)&", text), text

        first_sequence, first_numbers, text = window()
        assert "#EXT-X-ENDLIST" not in text and len(first_numbers) == 1
        wait_until(lambda: window()[0] > first_sequence, timeout=30)
        sequence, numbers, _ = window()
        assert len(numbers) == 3
        # Media sequence numbers stay with their fragments as the window slides: the window's first
        # segment is numbered by how many fragments arrived after the session's first.
        order = [f["FragmentNumber"] for f in sorted(fragments(archive, "hls-live"), key=lambda f: int(f["FragmentNumber"]))]
        assert sequence - first_sequence == order.index(numbers[0]) - order.index(first_numbers[0]) > 0
        assert numbers == order[order.index(numbers[0]):order.index(numbers[0]) + 3]
        newest = url.rsplit("/", 1)[0] + f"/getMP4MediaFragment.mp4?FragmentNumber={numbers[-1]}&" + url.split("?", 1)[1]
        assert len(urllib.request.urlopen(newest, timeout=30).read()) > 1000
    finally:
        push.wait(60)


def test_live_survives_a_producer_that_goes_quiet_and_resumes(server, archive, clips):
    # KVS answers 404 once the producer has been silent for 30 s; videod's session goes on.
    server.push(clips["short"], "hls-quiet", "mp4")
    url = archive.get_hls_streaming_session_url(StreamName="hls-quiet", PlaybackMode="LIVE", DiscontinuityMode="ON_DISCONTINUITY",
                                                MaxMediaPlaylistFragmentResults=5)["HLSStreamingSessionURL"]
    playlist = media_playlist_url(url)
    before = m3u8.loads(fetch(playlist))
    time.sleep(35)
    quiet = m3u8.loads(fetch(playlist))
    assert not quiet.is_endlist and quiet.media_sequence == before.media_sequence
    assert [s.uri for s in quiet.segments] == [s.uri for s in before.segments]
    server.push(clips["short"], "hls-quiet", "mp4")
    resumed = m3u8.loads(fetch(playlist))
    # The session starts at the fragment newest when it was made: that one, then the 3 new ones,
    # numbered on from it, the silence marked once, before the first new one.
    assert len(before.segments) == 1 and not resumed.is_endlist
    assert resumed.media_sequence == before.media_sequence and len(resumed.segments) == 4
    assert [s.discontinuity for s in resumed.segments] == [False, True, False, False]

def test_live_replay_releases_fragments_as_time_passes_and_ends_at_the_range(server, archive, clips):
    server.push(clips["h264"], "hls-replay", "mp4")
    listed = sorted(fragments(archive, "hls-replay"), key=lambda f: f["ProducerTimestamp"])
    second = datetime.timedelta(seconds=1)
    # From inside the first fragment to inside the third: three fragments, 2 s apart.
    url = archive.get_hls_streaming_session_url(
        StreamName="hls-replay", PlaybackMode="LIVE_REPLAY", MaxMediaPlaylistFragmentResults=2,
        HLSFragmentSelector={"FragmentSelectorType": "PRODUCER_TIMESTAMP", "TimestampRange": {
            "StartTimestamp": listed[0]["ProducerTimestamp"] + second,
            "EndTimestamp": listed[2]["ProducerTimestamp"] + second}})["HLSStreamingSessionURL"]
    playlist = media_playlist_url(url)
    began = time.time()
    text = fetch(playlist)
    assert re.findall(r"FragmentNumber=(\d+)&", text) == [listed[0]["FragmentNumber"]] and "#EXT-X-ENDLIST" not in text
    wait_until(lambda: "#EXT-X-ENDLIST" in fetch(playlist), timeout=20)
    assert time.time() - began >= 3.5, "the third fragment is released 4 s after the first"
    text = fetch(playlist)
    # The window keeps the newest two; their sequence numbers stay with them.
    assert re.findall(r"FragmentNumber=(\d+)&", text) == [listed[1]["FragmentNumber"], listed[2]["FragmentNumber"]]
    assert "#EXT-X-MEDIA-SEQUENCE:1\n" in text


def test_tokens_are_checked_on_every_request(server, archive, clips):
    server.push(clips["short"], "hls-token", "mp4")
    server.push(clips["short"], "hls-other", "mp4")
    listed = fragments(archive, "hls-token")
    url = archive.get_hls_streaming_session_url(
        StreamName="hls-token", PlaybackMode="ON_DEMAND",
        HLSFragmentSelector={"FragmentSelectorType": "SERVER_TIMESTAMP", "TimestampRange": {
            "StartTimestamp": listed[0]["ServerTimestamp"], "EndTimestamp": time.time() + 2}})["HLSStreamingSessionURL"]
    base, token = url.split("SessionToken=")
    payload, signature = token.split(".")
    for forged in [payload + "." + signature[:-2] + ("AA" if signature[-2:] != "AA" else "BB"), "", "x" * 5000]:
        with pytest.raises(urllib.error.HTTPError) as refused:
            fetch(base + "SessionToken=" + forged)
        assert refused.value.code == 401 and refused.value.headers["x-amzn-ErrorType"].startswith("NotAuthorizedException")
    # A session past its expiry, signed with the server's own key (so only the time is wrong).
    fields = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode().split(":")
    fields[10] = str(int((time.time() - 1) * 1_000_000))
    expired = base64.urlsafe_b64encode(":".join(fields).encode()).decode().rstrip("=")
    key = (pathlib.Path(server.data_dir) / "session.key").read_bytes()
    mac = base64.urlsafe_b64encode(hmac.new(key, ":".join(fields).encode(), hashlib.sha256).digest()).decode().rstrip("=")
    with pytest.raises(urllib.error.HTTPError) as refused:
        fetch(base + "SessionToken=" + expired + "." + mac)
    assert refused.value.code == 401 and b"expired" in refused.value.read()
    # A fragment of another stream is not this session's.
    other = fragments(archive, "hls-other")[0]["FragmentNumber"]
    with pytest.raises(urllib.error.HTTPError) as refused:
        fetch(url.replace("getHLSMasterPlaylist.m3u8?", f"getMP4MediaFragment.mp4?FragmentNumber={other}&"))
    assert refused.value.code == 404


def test_session_requests_get_kvs_errors(server, archive, clips):
    kv = boto3.client("kinesisvideo", endpoint_url=server.url, **KW)
    kv.create_stream(StreamName="hls-empty", DataRetentionInHours=1)
    kv.create_stream(StreamName="hls-nothing-kept", DataRetentionInHours=0)
    some_range = {"FragmentSelectorType": "SERVER_TIMESTAMP",
                  "TimestampRange": {"StartTimestamp": time.time() - 60, "EndTimestamp": time.time()}}
    with pytest.raises(archive.exceptions.ResourceNotFoundException):
        archive.get_hls_streaming_session_url(StreamName="hls-empty", PlaybackMode="ON_DEMAND", HLSFragmentSelector=some_range)
    with pytest.raises(archive.exceptions.ResourceNotFoundException):
        archive.get_hls_streaming_session_url(StreamName="hls-empty", PlaybackMode="LIVE")
    with pytest.raises(archive.exceptions.ResourceNotFoundException):
        archive.get_hls_streaming_session_url(StreamName="hls-nowhere")
    with pytest.raises(archive.exceptions.NoDataRetentionException):
        archive.get_hls_streaming_session_url(StreamName="hls-nothing-kept", PlaybackMode="LIVE")
    # Out-of-range numbers, sent past boto3's own checks.
    unchecked = boto3.client("kinesis-video-archived-media", endpoint_url=server.url, region_name="us-east-1",
                             aws_access_key_id="test", aws_secret_access_key="test",
                             config=botocore.config.Config(retries={"max_attempts": 1}, parameter_validation=False))
    for bad in [dict(Expires=100), dict(Expires=50000), dict(MaxMediaPlaylistFragmentResults=6000),
                dict(ContainerFormat="MPEG_PS"), dict(PlaybackMode="ON_DEMAND"), dict(PlaybackMode="SOMETIMES")]:
        with pytest.raises(unchecked.exceptions.InvalidArgumentException):
            unchecked.get_hls_streaming_session_url(StreamName="hls-empty", **bad)
    with pytest.raises(archive.exceptions.ResourceNotFoundException):
        archive.get_dash_streaming_session_url(StreamName="hls-empty", PlaybackMode="LIVE")
