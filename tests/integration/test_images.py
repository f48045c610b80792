"""Images from the archive: boto3's GetImages samples a range (base64 JPEG/PNG at the asked size,
NO_MEDIA where nothing is stored, pages with NextToken) and the native image.jpg returns the
picture showing at an instant."""
import base64
import json
import datetime
import time
import urllib.error
import urllib.request

import boto3
import botocore
import pytest

from videod import ffprobe_json

KW = dict(region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test",
          config=botocore.config.Config(retries={"max_attempts": 1}))


def image_info(path):
    stream = ffprobe_json(path, "-show_entries", "stream=codec_name,width,height")["streams"][0]
    return stream["codec_name"], stream["width"], stream["height"]


def test_get_images_samples_the_range_and_pages(server, clips, tmp_path):
    archive = boto3.client("kinesis-video-archived-media", endpoint_url=server.url, **KW)
    server.push(clips["h264"], "img-kvs", "mp4")
    listed = sorted(archive.list_fragments(StreamName="img-kvs", FragmentSelector={
        "FragmentSelectorType": "SERVER_TIMESTAMP", "TimestampRange": {"StartTimestamp": 0, "EndTimestamp": time.time() + 60}})
        ["Fragments"], key=lambda f: f["ProducerTimestamp"])
    # From one second into the stream to 5 s past its end (20 s long), every 2 s.
    start = listed[0]["ProducerTimestamp"] + datetime.timedelta(seconds=1)
    args = dict(StreamName="img-kvs", ImageSelectorType="PRODUCER_TIMESTAMP", StartTimestamp=start,
                EndTimestamp=start + datetime.timedelta(seconds=24), SamplingInterval=2000, Format="JPEG",
                FormatConfig={"JPEGQuality": "60"}, WidthPixels=160, MaxResults=5)
    images, token = [], None
    while True:
        page = archive.get_images(**args, **({"NextToken": token} if token else {}))
        assert len(page["Images"]) <= 5
        images += page["Images"]
        token = page.get("NextToken")
        if not token:
            break
    assert len(images) == 13
    assert [i["TimeStamp"] for i in images] == sorted(i["TimeStamp"] for i in images)
    with_media = [i for i in images if "ImageContent" in i]
    assert len(with_media) >= 9 and all(i.get("Error") == "NO_MEDIA" for i in images[-2:])
    path = tmp_path / "one.jpg"
    path.write_bytes(base64.b64decode(with_media[2]["ImageContent"]))
    assert image_info(path) == ("mjpeg", 160, 120)
    assert len({i["ImageContent"] for i in with_media}) == len(with_media), "the picture moves"
    png = archive.get_images(**{**args, "Format": "PNG", "WidthPixels": 64, "HeightPixels": 64, "MaxResults": 1})["Images"][0]
    path = tmp_path / "one.png"
    path.write_bytes(base64.b64decode(png["ImageContent"]))
    assert image_info(path) == ("png", 64, 64)
    with pytest.raises(archive.exceptions.InvalidArgumentException):
        archive.get_images(**{**args, "EndTimestamp": start + datetime.timedelta(seconds=400)})


def test_native_image_is_the_picture_at_an_instant(server, clips, tmp_path):
    server.push(clips["short"], "img-native", "mp4")
    with urllib.request.urlopen(f"{server.url}/streams/img-native", timeout=30) as response:
        start = json.load(response)["producerTimestamps"]["firstEpoch"]
    url = f"{server.url}/streams/img-native/image.jpg?t={start}&width=100"
    data = urllib.request.urlopen(url, timeout=30).read()
    path = tmp_path / "native.jpg"
    path.write_bytes(data)
    assert image_info(path) == ("mjpeg", 100, 76)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{server.url}/streams/img-native/image.jpg?t=2000-01-01T00:00:00Z", timeout=30)
    assert refused.value.code == 404
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{server.url}/streams/img-native/image.jpg?t={start}&width=99999", timeout=30)
    assert refused.value.code == 400


def test_repeated_images_come_from_the_cache_shared_with_get_images(server, clips):
    server.push(clips["short"], "img-cache", "mp4")
    with urllib.request.urlopen(f"{server.url}/streams/img-cache", timeout=30) as response:
        start = json.load(response)["producerTimestamps"]["firstEpoch"]
    instant = round(start + 2.5, 3)

    def native(query):
        with urllib.request.urlopen(f"{server.url}/streams/img-cache/image.jpg?{query}", timeout=30) as response:
            return response.headers["X-Videod-Image-Cache"], response.read()

    first = native(f"t={instant}")
    assert first[0] == "miss"
    assert native(f"t={instant}") == ("hit", first[1])
    # Another size or quality is another image.
    assert native(f"t={instant}&width=80")[0] == "miss"
    assert native(f"t={instant}&quality=30")[0] == "miss"
    # GetImages at another instant fills the cache the native route reads (same defaults: JPEG 80).
    # boto3 sends whole seconds.
    archive = boto3.client("kinesis-video-archived-media", endpoint_url=server.url, **KW)
    later = datetime.datetime.fromtimestamp(int(instant) + 2, datetime.timezone.utc)
    image = archive.get_images(StreamName="img-cache", ImageSelectorType="PRODUCER_TIMESTAMP", StartTimestamp=later,
                               EndTimestamp=later, Format="JPEG")["Images"][0]
    cached = native(f"t={int(later.timestamp())}")
    assert cached == ("hit", base64.b64decode(image["ImageContent"]))
