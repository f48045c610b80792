"""TLS: with --tls-cert/--tls-key the HTTP APIs answer over HTTPS only and RTSP over TLS; boto3
with its default HTTPS and a custom CA bundle works; ffmpeg pushes over https:// and rtsps://;
SIGHUP serves a renewed certificate to new connections without a restart."""
import signal
import socket
import ssl
import subprocess
import urllib.error
import urllib.request

import boto3
import pytest

from videod import Videod, wait_until


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True, timeout=60)


@pytest.fixture
def pki(tmp_path):
    """A CA and two server certificates it signed for 127.0.0.1 (the second: the renewal)."""
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", tmp_path / "ca.key", "-out", tmp_path / "ca.pem",
            "-days", "2", "-subj", "/CN=videod test CA")
    (tmp_path / "san.cnf").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    for name in ("first", "renewed"):
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", tmp_path / f"{name}.key", "-out", tmp_path / f"{name}.csr",
                "-subj", f"/CN=videod {name}")
        openssl("x509", "-req", "-in", tmp_path / f"{name}.csr", "-CA", tmp_path / "ca.pem", "-CAkey", tmp_path / "ca.key",
                "-CAcreateserial", "-out", tmp_path / f"{name}.pem", "-days", "2", "-extfile", tmp_path / "san.cnf")
    (tmp_path / "server.pem").write_bytes((tmp_path / "first.pem").read_bytes())
    (tmp_path / "server.key").write_bytes((tmp_path / "first.key").read_bytes())
    return tmp_path


def served_common_name(host, port, ca):
    context = ssl.create_default_context(cafile=str(ca))
    with socket.create_connection((host, port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname=host) as tls:
            subject = dict(pair[0] for pair in tls.getpeercert()["subject"])
            return subject["commonName"]


def test_https_and_rtsps_with_a_custom_ca_and_reload_on_sighup(fresh_server, pki, clips, tmp_path):
    server = fresh_server("--tls-cert", str(pki / "server.pem"), "--tls-key", str(pki / "server.key"))
    assert server.url.startswith("https://") and server.rtsp_url.startswith("rtsps://")
    server.ssl_context = ssl.create_default_context(cafile=str(pki / "ca.pem"))
    host, port = server.url[len("https://"):].split(":")
    port = int(port)

    # boto3 with its default HTTPS and the CA bundle.
    kvs = boto3.client("kinesisvideo", endpoint_url=server.url, region_name="us-east-1", aws_access_key_id="t",
                       aws_secret_access_key="t", verify=str(pki / "ca.pem"))
    arn = kvs.create_stream(StreamName="secure", MediaType="video/h264")["StreamARN"]
    assert kvs.describe_stream(StreamName="secure")["StreamInfo"]["StreamARN"] == arn
    kinesis = boto3.client("kinesis", endpoint_url=server.url, region_name="us-east-1", aws_access_key_id="t",
                           aws_secret_access_key="t", verify=str(pki / "ca.pem"))
    assert "StreamNames" in kinesis.list_streams()
    # Without the CA the client refuses the server, and plain HTTP gets no answer.
    untrusting = boto3.client("kinesisvideo", endpoint_url=server.url, region_name="us-east-1", aws_access_key_id="t",
                              aws_secret_access_key="t")
    with pytest.raises(Exception, match="(?i)certificate"):
        untrusting.list_streams()
    with pytest.raises((urllib.error.URLError, ConnectionError, OSError)):
        urllib.request.urlopen(f"http://{host}:{port}/health", timeout=5).read()

    # ffmpeg pushes over HTTPS and over RTSPS.
    push = subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-i", str(clips["short"]), "-c", "copy",
                           "-f", "mpegts", "-method", "POST", f"{server.url}/streams/over-https/ingest"],
                          capture_output=True, timeout=120)
    assert push.returncode == 0, push.stderr
    server.wait_idle("over-https")
    assert len(server.fragments("over-https")) == 3
    push = subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-re", "-i", str(clips["short"]),
                           "-c", "copy", "-f", "rtsp", "-rtsp_transport", "tcp", f"{server.rtsp_url}/over-rtsps"],
                          capture_output=True, timeout=120)
    assert push.returncode == 0, push.stderr
    server.wait_idle("over-rtsps")
    assert len(server.fragments("over-rtsps")) >= 3
    rtsp_port = int(server.rtsp_url.rsplit(":", 1)[1])

    # A renewed certificate is served to new connections after SIGHUP, on both listeners.
    assert served_common_name(host, port, pki / "ca.pem") == "videod first"
    (pki / "server.pem").write_bytes((pki / "renewed.pem").read_bytes())
    (pki / "server.key").write_bytes((pki / "renewed.key").read_bytes())
    server.process.send_signal(signal.SIGHUP)
    assert wait_until(lambda: served_common_name(host, port, pki / "ca.pem") == "videod renewed", 10)
    assert served_common_name(host, rtsp_port, pki / "ca.pem") == "videod renewed"
    assert server.process.poll() is None, "SIGHUP does not stop the server"
    # A renewal that does not load keeps the current certificate.
    (pki / "server.pem").write_text("not a certificate")
    server.process.send_signal(signal.SIGHUP)
    assert wait_until(lambda: b"not reloaded" in server.log_path.read_bytes(), 10)
    assert served_common_name(host, port, pki / "ca.pem") == "videod renewed"


def test_tls_flags_are_checked_at_start(tmp_path, pki):
    from videod import BIN
    for args, words in [(["--tls-cert", str(pki / "server.pem")], "go together"),
                        (["--tls-cert", str(pki / "ca.key"), "--tls-key", str(pki / "server.key")], "--tls-cert"),
                        (["--tls-cert", str(pki / "server.pem"), "--tls-key", str(pki / "missing.key")], "--tls-key")]:
        result = subprocess.run([BIN, "serve", "--http", "127.0.0.1:0", "--rtsp", "127.0.0.1:0", "--data", str(tmp_path / "d"),
                                 *args], capture_output=True, timeout=60)
        assert result.returncode != 0 and words in result.stderr.decode(errors="replace"), result.stderr
