"""SigV4 when access keys are configured: boto3 with the right keys works, anything else gets AWS's errors."""
import subprocess
import urllib.request

import boto3
import botocore
import pytest

from videod import BIN, push_command


def client(server, key, secret):
    return boto3.client("kinesis", endpoint_url=server.url, region_name="us-east-1", aws_access_key_id=key,
                        aws_secret_access_key=secret, config=botocore.config.Config(retries={"max_attempts": 1}))


def test_signed_requests_only(fresh_server, clips, tmp_path):
    creds = tmp_path / "credentials"
    creds.write_text("[default]\naws_access_key_id = FILEKEY\naws_secret_access_key = filesecret\n")
    server = fresh_server("--access-key", "AKVIDEOD", "--secret-key", "s3cret", "--credentials-file", str(creds))

    good = client(server, "AKVIDEOD", "s3cret")
    good.create_stream(StreamName="auth", ShardCount=1)
    client(server, "FILEKEY", "filesecret").put_record(StreamName="auth", Data=b"x", PartitionKey="k")

    for key, secret, code in [("AKVIDEOD", "wrong", "InvalidSignatureException"),
                              ("NOBODY", "s3cret", "UnrecognizedClientException")]:
        with pytest.raises(botocore.exceptions.ClientError) as err:
            client(server, key, secret).list_streams()
        assert err.value.response["Error"]["Code"] == code

    status, headers, body = server.request("POST", "/", data=b"{}", headers={
        "X-Amz-Target": "Kinesis_20131202.ListStreams", "Content-Type": "application/x-amz-json-1.1"})
    assert status == 403 and b"MissingAuthenticationTokenException" in body
    assert headers["x-amzn-ErrorType"] == "MissingAuthenticationTokenException"

    # Native routes: 403 without credentials, Basic auth (as ffmpeg sends from user:pass@ URLs) works.
    status, headers, _ = server.request("GET", "/streams")
    assert status == 401 and headers["WWW-Authenticate"].startswith("Basic")
    assert server.request("GET", "/health")[0] == 200
    url = server.url.replace("http://", "http://AKVIDEOD:s3cret@") + "/streams/cam1/ingest"
    command = push_command(clips["short"], url, "mp4")
    command[-3:-3] = ["-auth_type", "basic"]  # send the credentials up front: a push cannot replay its body
    result = subprocess.run(command, capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr
    import base64
    basic = {"Authorization": "Basic " + base64.b64encode(b"AKVIDEOD:s3cret").decode()}
    from videod import wait_until
    assert wait_until(lambda: server.request("GET", "/streams/cam1", headers=basic)[0] == 200)
    wrong = {"Authorization": "Basic " + base64.b64encode(b"AKVIDEOD:nope").decode()}
    assert server.request("GET", "/streams/cam1", headers=wrong)[0] == 401


def test_no_keys_means_loopback_only(tmp_path):
    result = subprocess.run([BIN, "serve", "--http", "0.0.0.0:0", "--data", str(tmp_path / "d")],
                            capture_output=True, timeout=60)
    assert result.returncode != 0
    assert b"refusing to listen on 0.0.0.0:0 without access keys" in result.stderr
