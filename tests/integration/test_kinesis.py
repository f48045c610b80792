"""Kinesis Data Streams compatibility, driven by a real boto3 client against a real videod."""
import base64
import json
import subprocess
import time

import boto3
import botocore
import pytest


@pytest.fixture
def kinesis(server):
    return boto3.client("kinesis", endpoint_url=server.url, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test",
                        config=botocore.config.Config(retries={"max_attempts": 1}))


def read_all(kinesis, stream, shard_id, **iterator_args):
    it = kinesis.get_shard_iterator(StreamName=stream, ShardId=shard_id, **iterator_args)["ShardIterator"]
    out = kinesis.get_records(ShardIterator=it)
    return out["Records"], out


def test_create_describe_list_and_delete(kinesis):
    kinesis.create_stream(StreamName="kds-basic", ShardCount=3)
    kinesis.get_waiter("stream_exists").wait(StreamName="kds-basic", WaiterConfig={"Delay": 0.1, "MaxAttempts": 5})
    summary = kinesis.describe_stream_summary(StreamName="kds-basic")["StreamDescriptionSummary"]
    assert summary["StreamStatus"] == "ACTIVE" and summary["OpenShardCount"] == 3
    assert summary["RetentionPeriodHours"] == 24
    assert summary["StreamARN"].endswith(":stream/kds-basic")
    shards = kinesis.describe_stream(StreamName="kds-basic")["StreamDescription"]["Shards"]
    assert [s["ShardId"] for s in shards] == ["shardId-000000000000", "shardId-000000000001", "shardId-000000000002"]
    assert shards[0]["HashKeyRange"]["StartingHashKey"] == "0"
    assert shards[-1]["HashKeyRange"]["EndingHashKey"] == str(2**128 - 1)
    for a, b in zip(shards, shards[1:]):
        assert int(a["HashKeyRange"]["EndingHashKey"]) + 1 == int(b["HashKeyRange"]["StartingHashKey"])
    page = kinesis.list_shards(StreamName="kds-basic", MaxResults=2)
    assert len(page["Shards"]) == 2 and "NextToken" in page
    rest = kinesis.list_shards(NextToken=page["NextToken"])
    assert [s["ShardId"] for s in rest["Shards"]] == ["shardId-000000000002"]
    by_arn = kinesis.describe_stream_summary(StreamARN=summary["StreamARN"])["StreamDescriptionSummary"]
    assert by_arn["StreamName"] == "kds-basic"
    names = [n for p in kinesis.get_paginator("list_streams").paginate(PaginationConfig={"PageSize": 1})
             for n in p["StreamNames"]]
    assert "kds-basic" in names
    with pytest.raises(kinesis.exceptions.ResourceInUseException):
        kinesis.create_stream(StreamName="kds-basic", ShardCount=1)
    kinesis.delete_stream(StreamName="kds-basic")
    with pytest.raises(kinesis.exceptions.ResourceNotFoundException):
        kinesis.describe_stream_summary(StreamName="kds-basic")


def test_put_routes_by_md5_and_orders_within_a_shard(kinesis):
    kinesis.create_stream(StreamName="kds-route", ShardCount=4)
    # "cam1" → 228995963956122927231403965178149626860 → shard 2 of 4
    r = kinesis.put_record(StreamName="kds-route", Data=b"x", PartitionKey="cam1")
    assert r["ShardId"] == "shardId-000000000002"
    r = kinesis.put_record(StreamName="kds-route", Data=b"x", PartitionKey="any", ExplicitHashKey=str(2**128 - 1))
    assert r["ShardId"] == "shardId-000000000003"

    sent = {}
    for i in range(200):
        key = f"key-{i % 17}"
        out = kinesis.put_record(StreamName="kds-route", Data=json.dumps({"i": i}).encode(), PartitionKey=key)
        sent.setdefault(out["ShardId"], []).append((out["SequenceNumber"], i))
    for shard_id, expected in sent.items():
        records, _ = read_all(kinesis, "kds-route", shard_id, ShardIteratorType="TRIM_HORIZON")
        got = [(r["SequenceNumber"], json.loads(r["Data"])["i"]) for r in records if r["Data"] != b"x"]
        assert got == expected
        seqs = [int(s) for s, _ in got]
        assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)


def test_put_records_batch_and_iterator_types(kinesis):
    kinesis.create_stream(StreamName="kds-batch", ShardCount=1)
    entries = [{"Data": f"r{i}".encode(), "PartitionKey": f"p{i}"} for i in range(500)]
    out = kinesis.put_records(StreamName="kds-batch", Records=entries)
    assert out["FailedRecordCount"] == 0 and len(out["Records"]) == 500
    seqs = [r["SequenceNumber"] for r in out["Records"]]
    shard = "shardId-000000000000"

    records, page = read_all(kinesis, "kds-batch", shard, ShardIteratorType="TRIM_HORIZON")
    assert [r["Data"] for r in records] == [f"r{i}".encode() for i in range(500)]
    assert page["MillisBehindLatest"] == 0

    limited = kinesis.get_records(ShardIterator=kinesis.get_shard_iterator(
        StreamName="kds-batch", ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"], Limit=10)
    assert len(limited["Records"]) == 10
    following = kinesis.get_records(ShardIterator=limited["NextShardIterator"], Limit=10)
    assert [r["Data"] for r in following["Records"]] == [f"r{i}".encode() for i in range(10, 20)]

    at, _ = read_all(kinesis, "kds-batch", shard, ShardIteratorType="AT_SEQUENCE_NUMBER", StartingSequenceNumber=seqs[250])
    assert at[0]["Data"] == b"r250"
    after, _ = read_all(kinesis, "kds-batch", shard, ShardIteratorType="AFTER_SEQUENCE_NUMBER", StartingSequenceNumber=seqs[250])
    assert after[0]["Data"] == b"r251"

    latest = kinesis.get_shard_iterator(StreamName="kds-batch", ShardId=shard, ShardIteratorType="LATEST")["ShardIterator"]
    assert kinesis.get_records(ShardIterator=latest)["Records"] == []
    time.sleep(1.1)
    since = time.time()
    kinesis.put_record(StreamName="kds-batch", Data=b"new", PartitionKey="p")
    assert [r["Data"] for r in kinesis.get_records(ShardIterator=latest)["Records"]] == [b"new"]
    stamped, _ = read_all(kinesis, "kds-batch", shard, ShardIteratorType="AT_TIMESTAMP", Timestamp=int(since))
    assert [r["Data"] for r in stamped] == [b"new"]
    assert stamped[0]["ApproximateArrivalTimestamp"].timestamp() >= int(since)


def test_errors_have_the_classes_botocore_expects(kinesis):
    kinesis.create_stream(StreamName="kds-errors", ShardCount=1)
    with pytest.raises(kinesis.exceptions.ResourceNotFoundException):
        kinesis.put_record(StreamName="kds-missing", Data=b"x", PartitionKey="k")
    with pytest.raises(kinesis.exceptions.InvalidArgumentException):
        kinesis.get_records(ShardIterator="bogus-iterator")
    with pytest.raises(kinesis.exceptions.ResourceNotFoundException):
        kinesis.get_shard_iterator(StreamName="kds-errors", ShardId="shardId-000000000009", ShardIteratorType="LATEST")
    with pytest.raises(kinesis.exceptions.InvalidArgumentException):
        kinesis.get_shard_iterator(StreamName="kds-errors", ShardId="shardId-000000000000",
                                   ShardIteratorType="AT_SEQUENCE_NUMBER", StartingSequenceNumber="12")
    it = kinesis.get_shard_iterator(StreamName="kds-errors", ShardId="shardId-000000000000",
                                    ShardIteratorType="LATEST")["ShardIterator"]
    with pytest.raises(kinesis.exceptions.InvalidArgumentException):
        kinesis.get_records(ShardIterator=it, Limit=20000)
    with pytest.raises(kinesis.exceptions.ValidationException):
        kinesis.put_record(StreamName="kds-errors", Data=b"x" * (1024 * 1024 + 1), PartitionKey="k")
    with pytest.raises(kinesis.exceptions.InvalidArgumentException):
        kinesis.decrease_stream_retention_period(StreamName="kds-errors", RetentionPeriodHours=48)
    with pytest.raises(botocore.exceptions.ClientError) as err:
        kinesis.split_shard(StreamName="kds-errors", ShardToSplit="shardId-000000000000", NewStartingHashKey="5")
    assert err.value.response["Error"]["Code"] == "NotImplemented"


def test_retention_and_tags(kinesis):
    kinesis.create_stream(StreamName="kds-tags", ShardCount=1, Tags={"team": "video"})
    kinesis.increase_stream_retention_period(StreamName="kds-tags", RetentionPeriodHours=48)
    assert kinesis.describe_stream_summary(StreamName="kds-tags")["StreamDescriptionSummary"]["RetentionPeriodHours"] == 48
    kinesis.decrease_stream_retention_period(StreamName="kds-tags", RetentionPeriodHours=24)
    kinesis.add_tags_to_stream(StreamName="kds-tags", Tags={"site": "lot", "team": "ops"})
    tags = kinesis.list_tags_for_stream(StreamName="kds-tags")
    assert tags["Tags"] == [{"Key": "site", "Value": "lot"}, {"Key": "team", "Value": "ops"}]
    kinesis.remove_tags_from_stream(StreamName="kds-tags", TagKeys=["site", "unknown"])
    assert kinesis.list_tags_for_stream(StreamName="kds-tags")["Tags"] == [{"Key": "team", "Value": "ops"}]
    # The newer tagging API, by ARN.
    arn = kinesis.describe_stream_summary(StreamName="kds-tags")["StreamDescriptionSummary"]["StreamARN"]
    kinesis.tag_resource(ResourceARN=arn, Tags={"zone": "b"})
    assert kinesis.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"Key": "team", "Value": "ops"}, {"Key": "zone", "Value": "b"}]
    kinesis.untag_resource(ResourceARN=arn, TagKeys=["team"])
    assert kinesis.list_tags_for_stream(StreamName="kds-tags")["Tags"] == [{"Key": "zone", "Value": "b"}]
    with pytest.raises(kinesis.exceptions.ResourceNotFoundException):
        kinesis.list_tags_for_resource(ResourceARN=arn.replace("kds-tags", "kds-none"))
    with pytest.raises(kinesis.exceptions.InvalidArgumentException):
        kinesis.tag_resource(ResourceARN="arn:aws:s3:::bucket", Tags={"a": "b"})


def test_records_survive_a_restart(fresh_server):
    server = fresh_server()
    k = boto3.client("kinesis", endpoint_url=server.url, region_name="us-east-1",
                     aws_access_key_id="t", aws_secret_access_key="t")
    k.create_stream(StreamName="durable", ShardCount=1)
    seqs = [k.put_record(StreamName="durable", Data=f"{i}".encode(), PartitionKey="p")["SequenceNumber"]
            for i in range(20)]
    data_dir = server.data_dir
    server.stop()
    again = fresh_server(data=data_dir)
    k = boto3.client("kinesis", endpoint_url=again.url, region_name="us-east-1",
                     aws_access_key_id="t", aws_secret_access_key="t")
    records, _ = read_all(k, "durable", "shardId-000000000000", ShardIteratorType="TRIM_HORIZON")
    assert [r["SequenceNumber"] for r in records] == seqs
    newer = k.put_record(StreamName="durable", Data=b"x", PartitionKey="p")["SequenceNumber"]
    assert int(newer) > int(seqs[-1])


def test_aws_cli_put_and_get(server, kinesis):
    cli = subprocess.run(["aws", "--version"], capture_output=True)
    if cli.returncode != 0:
        pytest.skip("aws CLI not installed")
    kinesis.create_stream(StreamName="kds-cli", ShardCount=1)
    env = {"AWS_ACCESS_KEY_ID": "t", "AWS_SECRET_ACCESS_KEY": "t", "AWS_DEFAULT_REGION": "us-east-1", "PATH": "/usr/bin:/bin:/usr/local/bin"}
    import os
    env["PATH"] = os.environ.get("PATH", env["PATH"])
    version = (cli.stdout + cli.stderr).decode()
    # CLI v1 sends --data as raw text; v2 expects base64 unless told otherwise.
    data = ['{"type":"MOTION"}'] if "aws-cli/1." in version else \
        ['{"type":"MOTION"}', "--cli-binary-format", "raw-in-base64-out"]
    put = subprocess.run(["aws", "--endpoint-url", server.url, "kinesis", "put-record", "--stream-name", "kds-cli",
                          "--partition-key", "cam1", "--data", *data], capture_output=True, env=env, timeout=60)
    assert put.returncode == 0, put.stderr
    it = subprocess.run(["aws", "--endpoint-url", server.url, "kinesis", "get-shard-iterator", "--stream-name", "kds-cli",
                         "--shard-id", "shardId-000000000000", "--shard-iterator-type", "TRIM_HORIZON"],
                        capture_output=True, env=env, timeout=60)
    iterator = json.loads(it.stdout)["ShardIterator"]
    got = subprocess.run(["aws", "--endpoint-url", server.url, "kinesis", "get-records", "--shard-iterator", iterator],
                         capture_output=True, env=env, timeout=60)
    records = json.loads(got.stdout)["Records"]
    assert base64.b64decode(records[0]["Data"]) == b'{"type":"MOTION"}'


def test_every_acknowledged_record_survives_sigkill(fresh_server):
    import signal
    import threading

    server = fresh_server()
    k = client_for(server)
    k.create_stream(StreamName="crash", ShardCount=2)
    acknowledged = []
    stop = threading.Event()

    def producer():
        i = 0
        while not stop.is_set():
            try:
                out = k.put_records(StreamName="crash", Records=[
                    {"Data": f"{i}-{j}".encode(), "PartitionKey": f"key{j % 5}"} for j in range(20)])
            except Exception:
                return  # the server died mid-call: this batch was never acknowledged
            acknowledged.extend((r["ShardId"], r["SequenceNumber"], f"{i}-{j}".encode())
                                for j, r in enumerate(out["Records"]))
            i += 1

    thread = threading.Thread(target=producer)
    thread.start()
    time.sleep(1.5)
    server.process.send_signal(signal.SIGKILL)
    server.process.wait()
    stop.set()
    thread.join(30)
    assert len(acknowledged) > 100

    restarted = fresh_server(data=server.data_dir)
    k = client_for(restarted)
    for shard in ["shardId-000000000000", "shardId-000000000001"]:
        it = k.get_shard_iterator(StreamName="crash", ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        stored = []
        while True:
            page = k.get_records(ShardIterator=it)
            stored += [(r["SequenceNumber"], r["Data"]) for r in page["Records"]]
            if not page["Records"]:
                break
            it = page["NextShardIterator"]
        expected = [(seq, data) for s, seq, data in acknowledged if s == shard]
        # every acknowledged record exactly once and in order; a batch cut by the kill may add none or all
        stored_set = set(stored)
        assert all(e in stored_set for e in expected)
        assert len(stored_set) == len(stored)
        positions = [stored.index(e) for e in expected]
        assert positions == sorted(positions)


def client_for(server):
    return boto3.client("kinesis", endpoint_url=server.url, region_name="us-east-1",
                        aws_access_key_id="t", aws_secret_access_key="t",
                        config=botocore.config.Config(retries={"max_attempts": 1}))


def test_opt_in_throttling_gives_partial_failures_boto3_understands(kinesis):
    kinesis.create_stream(StreamName="kds-throttle", ShardCount=1)
    kinesis.add_tags_to_stream(StreamName="kds-throttle", Tags={"videod:throttle": "on"})
    batch = [{"Data": b"x" * 100, "PartitionKey": f"k{i}"} for i in range(500)]
    failed = 0
    for _ in range(4):
        out = kinesis.put_records(StreamName="kds-throttle", Records=batch)
        failed += out["FailedRecordCount"]
        for r in out["Records"]:
            assert ("SequenceNumber" in r) != ("ErrorCode" in r)
    assert failed >= 500
    assert {r.get("ErrorCode") for r in out["Records"]} >= {"ProvisionedThroughputExceededException"}
    # 1 MiB/s per shard: in one call of 5 x 900 KB, only the first record fits.
    big = kinesis.put_records(StreamName="kds-throttle",
                              Records=[{"Data": b"y" * 900_000, "PartitionKey": f"b{i}"} for i in range(5)])
    assert big["FailedRecordCount"] >= 4
