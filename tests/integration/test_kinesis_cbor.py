"""The CBOR 1.1 encoding the AWS Java SDKs (and KCL) send by default, spoken with cbor2 as a Java
client would: byte-string blobs, tag-1 timestamps in epoch milliseconds, CBOR error maps."""
import time
import urllib.error
import urllib.request

import cbor2
import pytest


class Tag:
    def __init__(self, tag, value):
        self.tag, self.value = tag, value


def decode(data):
    """A minimal CBOR reader that keeps tags as Tag objects (cbor2 insists tag 1 is seconds)."""
    def item(i):
        initial = data[i]
        major, info = initial >> 5, initial & 0x1F
        i += 1
        if major == 7:
            simple = {20: False, 21: True, 22: None}
            if info in simple:
                return simple[info], i
            raise ValueError("float not expected")
        if info < 24:
            arg = info
        else:
            n = 1 << (info - 24)
            arg = int.from_bytes(data[i:i + n], "big")
            i += n
        if major == 0:
            return arg, i
        if major == 1:
            return -1 - arg, i
        if major == 2:
            return bytes(data[i:i + arg]), i + arg
        if major == 3:
            return data[i:i + arg].decode(), i + arg
        if major == 4:
            out = []
            for _ in range(arg):
                v, i = item(i)
                out.append(v)
            return out, i
        if major == 5:
            out = {}
            for _ in range(arg):
                k, i = item(i)
                out[k], i = item(i)
            return out, i
        v, i = item(i)
        return Tag(arg, v), i

    value, end = item(0)
    assert end == len(data)
    return value


def call(server, operation, members):
    request = urllib.request.Request(server.url + "/", data=cbor2.dumps(members), method="POST", headers={
        "X-Amz-Target": f"Kinesis_20131202.{operation}", "Content-Type": "application/x-amz-cbor-1.1"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.headers["Content-Type"] == "application/x-amz-cbor-1.1"
            return response.status, decode(response.read())
    except urllib.error.HTTPError as error:
        assert error.headers["Content-Type"] == "application/x-amz-cbor-1.1"
        return error.code, decode(error.read())


def test_cbor_put_and_get(server):
    assert call(server, "CreateStream", {"StreamName": "cbor", "ShardCount": 1})[0] == 200
    before = time.time()
    status, put = call(server, "PutRecord", {"StreamName": "cbor", "Data": b"\x00\xffbinary", "PartitionKey": "k"})
    assert status == 200 and put["ShardId"] == "shardId-000000000000"
    status, it = call(server, "GetShardIterator", {"StreamName": "cbor", "ShardId": "shardId-000000000000",
                                                   "ShardIteratorType": "AT_TIMESTAMP",
                                                   "Timestamp": cbor2.CBORTag(1, int(before * 1000) - 5)})
    assert status == 200
    status, got = call(server, "GetRecords", {"ShardIterator": it["ShardIterator"]})
    assert status == 200
    record = got["Records"][0]
    assert record["Data"] == b"\x00\xffbinary"
    assert record["SequenceNumber"] == put["SequenceNumber"]
    arrival = record["ApproximateArrivalTimestamp"]
    assert isinstance(arrival, Tag) and arrival.tag == 1
    assert abs(arrival.value / 1000 - time.time()) < 60, "tag 1 carries epoch milliseconds"


def test_cbor_errors_are_cbor_maps(server):
    status, body = call(server, "DescribeStreamSummary", {"StreamName": "no-such-stream"})
    assert status == 400 and body["__type"] == "ResourceNotFoundException"
    request = urllib.request.Request(server.url + "/", data=b"\xff\xff", method="POST", headers={
        "X-Amz-Target": "Kinesis_20131202.ListStreams", "Content-Type": "application/x-amz-cbor-1.1"})
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(request, timeout=30)
    assert decode(error.value.read())["__type"] == "SerializationException"
