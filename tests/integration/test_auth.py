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


def rtsp_push(clip, url):
    return subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-i", str(clip), "-c", "copy",
                           "-f", "rtsp", "-rtsp_transport", "tcp", url], capture_output=True, timeout=120)


def test_rtsp_pushes_carry_the_keys_and_rtsp_may_then_bind_beyond_loopback(fresh_server, clips):
    # Keys configured: RTSP may listen on every interface, and pushes must authenticate.
    server = fresh_server("--access-key", "AKVIDEOD", "--secret-key", "s3cret", "--rtsp", "0.0.0.0:0")
    assert server.rtsp_url.startswith("rtsp://0.0.0.0:"), server.rtsp_url
    port = server.rtsp_url.rsplit(":", 1)[1]
    for credentials in ["", "AKVIDEOD:wrong@", "NOBODY:s3cret@"]:
        result = rtsp_push(clips["short"], f"rtsp://{credentials}127.0.0.1:{port}/cam-refused")
        assert result.returncode != 0 and b"401" in result.stderr, (credentials, result.stderr[-300:])
    # ffmpeg answers the Digest challenge (it prefers Digest to Basic).
    result = rtsp_push(clips["short"], f"rtsp://AKVIDEOD:s3cret@127.0.0.1:{port}/cam-auth")
    assert result.returncode == 0, result.stderr[-500:]
    import base64
    import json
    basic = {"Authorization": "Basic " + base64.b64encode(b"AKVIDEOD:s3cret").decode()}
    from videod import wait_until
    assert wait_until(lambda: server.request("GET", "/streams/cam-auth", headers=basic)[0] == 200
                      and json.loads(server.request("GET", "/streams/cam-auth", headers=basic)[2])["fragmentCount"] >= 3)
    assert server.request("GET", "/streams/cam-refused", headers=basic)[0] == 404, "refused pushes stored nothing"


def test_rtsp_without_keys_stays_on_loopback(tmp_path):
    result = subprocess.run([BIN, "serve", "--http", "127.0.0.1:0", "--rtsp", "0.0.0.0:0", "--data", str(tmp_path / "d")],
                            capture_output=True, timeout=60)
    assert result.returncode != 0
    assert b"refusing RTSP on 0.0.0.0:0 without access keys" in result.stderr
