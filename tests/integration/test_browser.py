"""A real browser (Debian's headless Chromium) plays the native clip.mp4, seeks to its middle and
draws the frame it shows; the picture is compared with ffmpeg's decode of the same frame. The page
comes from another origin, as a user's own viewer page would, so this also covers --cors-origin."""
import http.server
import json
import queue
import shutil
import subprocess
import threading
import urllib.request

import pytest

from videod import make_clip

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SIDE = (80, 60)  # the page reports the frame scaled to this, in gray

PAGE = """<!doctype html><html><body>
<video id="v" muted playsinline crossorigin="anonymous" preload="auto"></video>
<canvas id="c" width="%(w)d" height="%(h)d"></canvas>
<script>
const v = document.getElementById('v');
const report = o => fetch('/result', {method: 'POST', body: JSON.stringify(o)});
v.addEventListener('error', () => report({error: 'media error ' + (v.error && v.error.code)}));
function frame() {
  const c = document.getElementById('c').getContext('2d', {willReadFrequently: true});
  c.drawImage(v, 0, 0, %(w)d, %(h)d);
  const rgba = c.getImageData(0, 0, %(w)d, %(h)d).data, gray = [];
  for (let i = 0; i < rgba.length; i += 4) gray.push(Math.round(0.299 * rgba[i] + 0.587 * rgba[i + 1] + 0.114 * rgba[i + 2]));
  return gray;
}
v.addEventListener('loadedmetadata', async () => {
  try { await v.play(); } catch (e) { report({error: 'play: ' + e}); return; }
  const started = performance.now();
  while (v.currentTime < 1.0 && performance.now() - started < 20000) await new Promise(r => setTimeout(r, 50));
  const played = v.currentTime;
  v.pause();
  v.addEventListener('seeked', () => {
    // The seeked frame is drawn once it is presented; a short wait covers the compositor.
    setTimeout(() => {
      try {
        report({duration: v.duration, played: played, currentTime: v.currentTime,
                width: v.videoWidth, height: v.videoHeight, gray: frame()});
      } catch (e) { report({error: 'frame: ' + e}); }  // a canvas tainted without CORS lands here
    }, 300);
  }, {once: true});
  v.currentTime = %(seek)f;
});
v.src = %(src)s;
</script></body></html>"""


class PageServer:
    """Serves the viewer page and takes the page's one report."""

    def __init__(self):
        self.results = queue.Queue()
        self.page = b""
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                self.wfile.write(owner.page)

            def do_POST(self):
                owner.results.put(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def gray_frame(path, index):
    """Frame `index` of the video as ffmpeg decodes it, scaled like the page's canvas."""
    out = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-vf",
                          f"select=eq(n\\,{index}),scale={SIDE[0]}:{SIDE[1]}:flags=bilinear,format=gray",
                          "-frames:v", "1", "-f", "rawvideo", "-"], capture_output=True, check=True, timeout=60)
    assert len(out.stdout) == SIDE[0] * SIDE[1]
    return list(out.stdout)


def mean_difference(a, b):
    return sum(abs(x - y) for x, y in zip(a, b)) / len(a)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (scripts/setup --test installs it)")
def test_chromium_plays_the_clip_and_shows_the_frame_it_seeks_to(fresh_server, tmp_path):
    clip = make_clip(tmp_path / "browser.mp4", "h264", 20, size="320x240")
    page = PageServer()
    try:
        server = fresh_server("--cors-origin", page.origin)
        server.push(clip, "browser", "mp4")
        url = f"{server.url}/streams/browser/clip.mp4"
        downloaded = tmp_path / "downloaded.mp4"
        with urllib.request.urlopen(url, timeout=60) as response:
            downloaded.write_bytes(response.read())
        seek = 10.0 + 1 / 30  # inside frame 150 (15 fps), away from its edges
        page.page = (PAGE % {"w": SIDE[0], "h": SIDE[1], "seek": seek, "src": json.dumps(url)}).encode()
        browser = subprocess.Popen([CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                    "--mute-audio", "--autoplay-policy=no-user-gesture-required",
                                    f"--user-data-dir={tmp_path / 'profile'}", page.origin + "/"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            result = page.results.get(timeout=90)
        finally:
            browser.kill()
            _, stderr = browser.communicate(timeout=30)
    finally:
        page.close()
    assert "error" not in result, (result, stderr.decode(errors="replace")[-2000:])
    assert abs(result["duration"] - 20) < 0.3
    assert result["played"] >= 1.0  # it played, not just loaded
    assert abs(result["currentTime"] - seek) < 0.01
    assert (result["width"], result["height"]) == (320, 240)
    shown = result["gray"]
    differences = {index: mean_difference(shown, gray_frame(downloaded, index)) for index in (0, 75, 145, 149, 150, 151, 155, 225)}
    # The shown picture is frame 150: nearest to ffmpeg's decode of it (within scaling and colour
    # conversion), clearly nearer than to its neighbours or to a page stuck at the start.
    assert min(differences, key=differences.get) == 150 and differences[150] < 3, differences


def test_cross_origin_headers_only_for_the_configured_origin(fresh_server, server):
    origin = "http://viewer.example:8000"
    configured = fresh_server("--cors-origin", origin)
    for instance, expected in ((configured, origin), (server, None)):
        preflight = urllib.request.Request(f"{instance.url}/getHLSStreamingSessionURL", method="OPTIONS", headers={
            "Origin": origin, "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,x-amz-date,content-type"})
        try:
            with urllib.request.urlopen(preflight, timeout=10) as response:
                status, headers = response.status, response.headers
        except urllib.error.HTTPError as refused:
            status, headers = refused.code, refused.headers
        assert headers.get("Access-Control-Allow-Origin") == expected
        if expected:
            assert status == 204 and "x-amz-date" in headers["Access-Control-Allow-Headers"].lower()
        with urllib.request.urlopen(urllib.request.Request(f"{instance.url}/health", headers={"Origin": origin}),
                                    timeout=10) as response:
            assert response.headers.get("Access-Control-Allow-Origin") == expected
