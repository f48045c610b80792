"""Kinesis Video Streams compatibility: the control plane and ListFragments driven by real boto3
clients (and the aws CLI) against a real videod; streams made by a push and by CreateStream are
one catalog."""
import datetime as dt
import json
import os
import subprocess

import boto3
import botocore
import pytest

KW = dict(region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test",
          config=botocore.config.Config(retries={"max_attempts": 1}))


@pytest.fixture
def kv(server):
    return boto3.client("kinesisvideo", endpoint_url=server.url, **KW)


def archived(kv, stream):
    endpoint = kv.get_data_endpoint(StreamName=stream, APIName="LIST_FRAGMENTS")["DataEndpoint"]
    return boto3.client("kinesis-video-archived-media", endpoint_url=endpoint, **KW)


def test_create_describe_update_and_delete_with_versions(kv):
    arn = kv.create_stream(StreamName="kvs-basic", DeviceName="porch", MediaType="video/h264,audio/aac",
                           KmsKeyId="alias/mine", DataRetentionInHours=24, Tags={"site": "home"})["StreamARN"]
    assert arn.startswith("arn:aws:kinesisvideo:us-east-1:000000000000:stream/kvs-basic/")
    info = kv.describe_stream(StreamName="kvs-basic")["StreamInfo"]
    assert info["StreamARN"] == arn and info["Status"] == "ACTIVE" and info["DataRetentionInHours"] == 24
    assert info["DeviceName"] == "porch" and info["MediaType"] == "video/h264,audio/aac" and info["KmsKeyId"] == "alias/mine"
    assert abs((info["CreationTime"] - dt.datetime.now(dt.timezone.utc)).total_seconds()) < 60
    assert kv.describe_stream(StreamARN=arn)["StreamInfo"]["StreamName"] == "kvs-basic"

    kv.update_stream(StreamARN=arn, CurrentVersion=info["Version"], DeviceName="garage")
    with pytest.raises(kv.exceptions.VersionMismatchException):
        kv.update_stream(StreamName="kvs-basic", CurrentVersion=info["Version"], DeviceName="again")
    updated = kv.describe_stream(StreamName="kvs-basic")["StreamInfo"]
    assert updated["DeviceName"] == "garage" and updated["Version"] != info["Version"]

    kv.update_data_retention(StreamName="kvs-basic", CurrentVersion=updated["Version"],
                             Operation="INCREASE_DATA_RETENTION", DataRetentionChangeInHours=48)
    longer = kv.describe_stream(StreamName="kvs-basic")["StreamInfo"]
    assert longer["DataRetentionInHours"] == 72
    with pytest.raises(kv.exceptions.InvalidArgumentException):
        kv.update_data_retention(StreamName="kvs-basic", CurrentVersion=longer["Version"],
                                 Operation="DECREASE_DATA_RETENTION", DataRetentionChangeInHours=100)

    with pytest.raises(kv.exceptions.VersionMismatchException):
        kv.delete_stream(StreamARN=arn, CurrentVersion=info["Version"])
    kv.delete_stream(StreamARN=arn, CurrentVersion=longer["Version"])
    with pytest.raises(kv.exceptions.ResourceNotFoundException):
        kv.describe_stream(StreamName="kvs-basic")
    # The same name again is a new stream with a new ARN; the old ARN names nothing.
    new_arn = kv.create_stream(StreamName="kvs-basic")["StreamARN"]
    assert new_arn != arn
    with pytest.raises(kv.exceptions.ResourceNotFoundException):
        kv.describe_stream(StreamARN=arn)
    assert kv.describe_stream(StreamARN=new_arn)["StreamInfo"]["DataRetentionInHours"] == 0, "CreateStream's default" 


def test_errors_carry_kvs_codes_and_statuses(kv):
    kv.create_stream(StreamName="kvs-errors")
    for call, code, status in [
        (lambda: kv.create_stream(StreamName="kvs-errors"), "ResourceInUseException", 400),
        (lambda: kv.describe_stream(StreamName="kvs-missing"), "ResourceNotFoundException", 404),
        (lambda: kv.create_stream(StreamName="bad name"), "InvalidArgumentException", 400),
        (lambda: kv.create_stream(StreamName="kvs-x", MediaType="h264"), "InvalidArgumentException", 400),
        (lambda: kv.create_stream(StreamName="kvs-y", DataRetentionInHours=90000), "InvalidArgumentException", 400),
        (lambda: kv.describe_stream(StreamName="kvs-errors", StreamARN="arn:aws:kinesisvideo:us-east-1:0:stream/a/1"),
         "InvalidArgumentException", 400),
        (lambda: kv.get_data_endpoint(StreamName="kvs-errors", APIName="NOPE"), "InvalidArgumentException", 400),
        (lambda: kv.tag_stream(StreamName="kvs-errors", Tags={f"k{i}": "v" for i in range(51)}),
         "TagsPerResourceExceededLimitException", 400),
        (lambda: kv.list_signaling_channels(), "NotImplemented", 501),
    ]:
        with pytest.raises(botocore.exceptions.ClientError) as err:
            call()
        assert err.value.response["Error"]["Code"] == code, err.value.response
        assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == status
        assert err.value.response["ResponseMetadata"]["RequestId"]


def test_list_streams_pages_and_filters(kv):
    for i in range(7):
        kv.create_stream(StreamName=f"kvs-list-{i}")
    page = kv.list_streams(MaxResults=3, StreamNameCondition={"ComparisonOperator": "BEGINS_WITH", "ComparisonValue": "kvs-list-"})
    assert len(page["StreamInfoList"]) == 3 and "NextToken" in page
    names = [s["StreamName"] for p in kv.get_paginator("list_streams").paginate(
        StreamNameCondition={"ComparisonOperator": "BEGINS_WITH", "ComparisonValue": "kvs-list-"},
        PaginationConfig={"PageSize": 2}) for s in p["StreamInfoList"]]
    assert names == [f"kvs-list-{i}" for i in range(7)]


def test_tags_by_stream_and_by_resource(kv):
    arn = kv.create_stream(StreamName="kvs-tags", Tags={"a": "1"})["StreamARN"]
    kv.tag_stream(StreamName="kvs-tags", Tags={"b": "2", "a": "one"})
    assert kv.list_tags_for_stream(StreamARN=arn)["Tags"] == {"a": "one", "b": "2"}
    kv.untag_stream(StreamName="kvs-tags", TagKeyList=["b", "missing"])
    kv.tag_resource(ResourceARN=arn, Tags=[{"Key": "c", "Value": "3"}])
    assert kv.list_tags_for_resource(ResourceARN=arn)["Tags"] == {"a": "one", "c": "3"}
    kv.untag_resource(ResourceARN=arn, TagKeyList=["a"])
    assert kv.list_tags_for_stream(StreamName="kvs-tags")["Tags"] == {"c": "3"}
    with pytest.raises(kv.exceptions.ResourceNotFoundException):
        kv.list_tags_for_resource(ResourceARN=arn.rsplit("/", 1)[0] + "/42")


def test_a_pushed_stream_is_listed_and_its_fragments_listed_by_both_clocks(server, kv, clips):
    server.push(clips["short"], "kvs-pushed", "mp4")
    info = kv.describe_stream(StreamName="kvs-pushed")["StreamInfo"]
    assert info["DataRetentionInHours"] == 87600, "a pushed stream keeps everything"
    native = server.fragments("kvs-pushed")
    assert len(native) == 3
    am = archived(kv, "kvs-pushed")
    for selector in ["PRODUCER_TIMESTAMP", "SERVER_TIMESTAMP"]:
        key = "producerTimestamp" if selector == "PRODUCER_TIMESTAMP" else "serverTimestamp"
        start = dt.datetime.fromtimestamp(native[0][key] - 1, dt.timezone.utc)
        end = dt.datetime.fromtimestamp(native[-1][key] + 1, dt.timezone.utc)
        pages = list(am.get_paginator("list_fragments").paginate(
            StreamName="kvs-pushed", FragmentSelector={"FragmentSelectorType": selector,
                                                       "TimestampRange": {"StartTimestamp": start, "EndTimestamp": end}},
            PaginationConfig={"PageSize": 2}))
        assert len(pages) == 2
        fragments = [f for p in pages for f in p["Fragments"]]
        assert [f["FragmentNumber"] for f in fragments] == [f["number"] for f in native]
        first = fragments[0]
        assert first["FragmentSizeInBytes"] == native[0]["size"]
        assert first["FragmentLengthInMilliseconds"] == round(native[0]["duration"] * 1000)
        assert abs(first["ProducerTimestamp"].timestamp() - native[0]["producerTimestamp"]) < 0.001
    # Selection is by start, both ends inclusive. boto3 sends whole seconds: the second around the
    # second fragment's start and the one after hold its start and no other (fragments are 2 s apart).
    second = int(native[1]["producerTimestamp"])
    only = am.list_fragments(StreamName="kvs-pushed", FragmentSelector={
        "FragmentSelectorType": "PRODUCER_TIMESTAMP",
        "TimestampRange": {"StartTimestamp": dt.datetime.fromtimestamp(second, dt.timezone.utc),
                           "EndTimestamp": dt.datetime.fromtimestamp(second + 1, dt.timezone.utc)}})["Fragments"]
    assert [f["FragmentNumber"] for f in only] == [native[1]["number"]]


def test_aws_cli_smoke(server, tmp_path):
    env = dict(os.environ, AWS_ACCESS_KEY_ID="t", AWS_SECRET_ACCESS_KEY="t", AWS_DEFAULT_REGION="us-east-1")

    def aws(*args):
        result = subprocess.run(["aws", "--endpoint-url", server.url, *args, "--output", "json"], capture_output=True,
                                env=env, timeout=60)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout or b"{}")

    arn = aws("kinesisvideo", "create-stream", "--stream-name", "kvs-cli", "--data-retention-in-hours", "1")["StreamARN"]
    assert "kvs-cli" in [s["StreamName"] for s in aws("kinesisvideo", "list-streams")["StreamInfoList"]]
    assert aws("kinesisvideo", "describe-stream", "--stream-arn", arn)["StreamInfo"]["DataRetentionInHours"] == 1
    endpoint = aws("kinesisvideo", "get-data-endpoint", "--stream-name", "kvs-cli", "--api-name", "LIST_FRAGMENTS")["DataEndpoint"]
    assert endpoint == server.url
    listed = aws("kinesis-video-archived-media", "list-fragments", "--stream-name", "kvs-cli", "--fragment-selector",
                 "FragmentSelectorType=SERVER_TIMESTAMP,TimestampRange={StartTimestamp=2026-01-01T00:00:00Z,EndTimestamp=2030-01-01T00:00:00Z}")
    assert listed["Fragments"] == []


def test_retention_is_real_fragments_go_and_their_files_with_them(fresh_server, clips):
    import pathlib
    from videod import wait_until

    server = fresh_server("--live-buffer-seconds", "3", "--retention-sweep-seconds", "1")
    kv = boto3.client("kinesisvideo", endpoint_url=server.url, **KW)
    kv.create_stream(StreamName="kvs-live", DataRetentionInHours=0)
    kv.create_stream(StreamName="kvs-day", DataRetentionInHours=24)
    server.push(clips["short"], "kvs-live", "mp4")
    server.push(clips["short"], "kvs-day", "mp4")
    assert len(server.fragments("kvs-live")) == 3, "within the live buffer"
    segments = pathlib.Path(server.data_dir) / "segments"
    assert wait_until(lambda: server.fragments("kvs-live") == [], timeout=15), "retention 0 keeps only the live buffer"
    assert wait_until(lambda: sum(1 for folder in segments.iterdir() for _ in folder.iterdir()) == 1, timeout=10), \
        "the live stream's segment file is deleted; the day-long stream's stays"
    assert len(server.fragments("kvs-day")) == 3
