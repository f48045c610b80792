"""`videod serve --config videod.yaml`: server flags and declared streams from one file; the command
line wins over it; API changes to what the file does not name survive restarts; a bad file is
refused at start with its line."""
import json
import subprocess
import textwrap

import pytest

from videod import BIN, Videod, push_command, wait_until

CONFIG = """\
# A box with three cameras.
server:
  http: 127.0.0.1:1            # the command line's --http wins
  fragmentDuration: 4
  max-disk-usage: 90%
  analysis: false
  retentionSweepSeconds: 30
streams:
  - name: porch
    retention: {all: 3d, events: 30d, eventPadding: 5}
    analysis:
      enabled: true
      detectors: [motion]
  - name: yard
    source: rtsp://127.0.0.1:9/nothing-listens-here
  - name: garage
"""


def test_a_file_declares_server_settings_and_streams(fresh_server, clips, tmp_path):
    config = tmp_path / "videod.yaml"
    config.write_text(CONFIG)
    data = tmp_path / "data"
    server = fresh_server("--config", str(config), data=data)
    names = sorted(s["name"] for s in server.json("/streams")["streams"])
    assert names == ["garage", "porch", "yard"]
    assert server.json("/streams/porch/retention") == {"all": "3d", "events": "30d", "eventPadding": 5}
    porch = server.json("/streams/porch/analysis")["settings"]
    assert porch["enabled"] is True and porch["detectors"] == ["motion"]
    # analysis: false in the file is the default for streams that set nothing.
    assert server.json("/streams/garage/analysis")["settings"]["enabled"] is False
    assert wait_until(lambda: (server.json("/streams/yard").get("pull") or {}).get("state") in ("connecting", "reconnecting"), 15)
    # fragmentDuration 4 from the file: a 2 s GOP clip is cut every 4 s.
    subprocess.run(push_command(clips["h264"], server.ingest_url("garage"), "mp4"), check=True, capture_output=True, timeout=120)
    server.wait_idle("garage")
    durations = [f["duration"] for f in server.fragments("garage", page_size=100)]
    assert durations[:4] == pytest.approx([4.0] * 4, abs=0.1), durations

    # The API changes what the file leaves out; the file's own settings are applied again at start.
    assert server.request("PUT", "/streams/garage/retention", data=json.dumps({"maxBytes": "5G"}).encode())[0] == 200
    assert server.request("PUT", "/streams/porch/retention", data=json.dumps({"all": "1d"}).encode())[0] == 200
    server.stop()
    again = fresh_server("--config", str(config), "--fragment-duration", "2", data=data)
    assert again.json("/streams/garage/retention") == {"maxBytes": "5G"}
    assert again.json("/streams/porch/retention") == {"all": "3d", "events": "30d", "eventPadding": 5}
    # The command line wins over the file: 2 s fragments now.
    subprocess.run(push_command(clips["short"], again.ingest_url("garage"), "mp4"), check=True, capture_output=True, timeout=120)
    again.wait_idle("garage")
    assert again.fragments("garage", page_size=100)[-1]["duration"] == pytest.approx(2.0, abs=0.1)


@pytest.mark.parametrize("text, line, words", [
    ("server:\n  http: 127.0.0.1:0\n  fragmentDuraton: 4\n", 3, "fragment-duraton"),
    ("server:\n  fragmentDuration: often\n", 2, "often"),
    ("sever:\n  http: x\n", 1, "unknown section"),
    ("streams:\n  - name: ok\n  - name: bad name!\n", 3, "stream name"),
    ("streams:\n  - name: a\n  - name: a\n", 3, "declared twice"),
    ("streams:\n  - name: a\n    retention: {all: 3x}\n", 3, "all must be a duration"),
    ("streams:\n  - name: a\n    retention: {all: 1d, evnts: 2d}\n", 3, "evnts"),
    ("streams:\n  - name: a\n    source: http://camera/x\n", 3, "rtsp://"),
    ("streams:\n  - name: a\n    analysis: {enabled: maybe}\n", 3, "analysis.enabled"),
    ("streams:\n  - name: a\n    colour: red\n", 3, "colour"),
    ("server: [1, 2\n", 1, ""),
])
def test_a_bad_file_is_refused_at_start_with_its_line(tmp_path, text, line, words):
    config = tmp_path / "bad.yaml"
    config.write_text(text)
    result = subprocess.run([BIN, "serve", "--config", str(config), "--http", "127.0.0.1:0", "--rtsp", "127.0.0.1:0",
                             "--data", str(tmp_path / "data")], capture_output=True, timeout=60)
    message = result.stderr.decode(errors="replace")
    assert result.returncode != 0, message
    assert f"bad.yaml:line {line}" in message or f"bad.yaml:{line}:" in message or f"line {line}" in message, message
    assert words.lower() in message.lower(), message
    assert not (tmp_path / "data" / "index.sqlite").exists() or "streams" not in text, "refused before serving"


def test_a_toml_file_is_refused_with_a_reason_not_misread_as_yaml(tmp_path):
    config = tmp_path / "videod.toml"
    config.write_text('[server]\nhttp = "127.0.0.1:0"\n')
    result = subprocess.run([BIN, "serve", "--config", str(config), "--http", "127.0.0.1:0", "--rtsp", "127.0.0.1:0",
                             "--data", str(tmp_path / "data")], capture_output=True, timeout=60)
    message = result.stderr.decode(errors="replace")
    assert result.returncode != 0, message
    assert "TOML is not supported" in message and "YAML" in message, message
