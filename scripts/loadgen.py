"""A light load generator for videod (bench-capacity, soak): N real-time 720p15 cameras from one
process. The clip is cut once with ffmpeg into fragmented MP4 with one moof+mdat per frame; every
camera sends the same bytes over its own chunked HTTP push, 3 frames every 200 ms, looping the clip
with its decode times moved on so that a stream's time never goes back."""
import asyncio
import json
import subprocess
import time

FPS = 15
GOP = 30
BATCH = 3  # frames per write: 200 ms


class CameraFrames:
    """The clip as an init segment and per-frame moof+mdat pieces, endlessly (`frame(i)`)."""

    def __init__(self, clip, work):
        out = work / "frames.mp4"
        subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", str(clip), "-c", "copy", "-f", "mp4",
                        "-movflags", "frag_every_frame+empty_moov+default_base_moof", str(out)], check=True)
        data = out.read_bytes()
        boxes, at = [], 0
        while at + 8 <= len(data):
            size = int.from_bytes(data[at:at + 4], "big")
            kind = data[at + 4:at + 8]
            if size == 1:
                size = int.from_bytes(data[at + 8:at + 16], "big")
            boxes.append((kind, data[at:at + size]))
            at += size
        self.init = b"".join(b for k, b in boxes if k in (b"ftyp", b"moov"))
        self.frames, current = [], b""
        for kind, box in boxes:
            if kind == b"moof":
                current = box
            elif kind == b"mdat":
                self.frames.append(current + box)
        # Where each frame's tfdt (its decode time) sits, to move later loops on in time.
        self.tfdt = [self._tfdt(frame) for frame in self.frames]
        times = [t for _, _, t in self.tfdt]
        self.loop_ticks = times[-1] + (times[-1] - times[-2])

    @staticmethod
    def _tfdt(frame):
        at = frame.index(b"tfdt") + 4
        version = frame[at]
        width = 8 if version == 1 else 4
        return at + 4, width, int.from_bytes(frame[at + 4:at + 4 + width], "big")

    def __len__(self):
        return len(self.frames)

    def frame(self, index):
        loop, i = divmod(index, len(self.frames))
        if loop == 0:
            return self.frames[i]
        at, width, time0 = self.tfdt[i]
        moved = (time0 + loop * self.loop_ticks).to_bytes(width, "big")  # a v0 tfdt past 2^32 raises
        frame = self.frames[i]
        return frame[:at] + moved + frame[at + width:]


class Push:
    """One camera: a chunked POST kept open, fed frames in real time."""

    def __init__(self, name, host, port):
        self.name = name
        self.host, self.port = host, port
        self.next_frame = 0
        self.key_sent = {}  # fragment index → time the frame closing it was written
        self.behind = False
        self.summary = None

    async def open(self, camera):
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write((f"POST /streams/{self.name}/ingest HTTP/1.1\r\nHost: {self.host}\r\n"
                           "Content-Type: video/mp4\r\nTransfer-Encoding: chunked\r\n\r\n").encode())
        self.send(camera.init)

    def send(self, data):
        self.writer.write(b"%x\r\n" % len(data) + data + b"\r\n")
        if self.writer.transport.get_write_buffer_size() > 4 << 20:
            self.behind = True

    def feed(self, camera, now):
        for frame in range(self.next_frame, self.next_frame + BATCH):
            if frame > 0 and frame % GOP == 0:
                self.key_sent[frame // GOP - 1] = now
        self.send(b"".join(camera.frame(i) for i in range(self.next_frame, self.next_frame + BATCH)))
        self.next_frame += BATCH

    @property
    def fragments_expected(self):
        return (self.next_frame + GOP - 1) // GOP

    async def close(self):
        self.writer.write(b"0\r\n\r\n")
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length"))
        self.summary = json.loads(await self.reader.readexactly(length))
        self.writer.close()


async def pace(pushes, camera, seconds, on_tick=None):
    """Feeds every push in real time for `seconds`, in four phases per 200 ms so that writes spread
    out as cameras' do. `on_tick(now)` runs after each phase. Returns the share of real time the
    generator kept up (1.0: every camera sent every frame on time; less: this process fell behind,
    as it does when the server takes every core)."""
    start = time.monotonic()
    tick = 0
    while time.monotonic() < start + seconds:
        now = time.monotonic()
        for push in pushes[tick % 4::4]:
            push.feed(camera, now)
        if on_tick:
            on_tick(now)
        tick += 1
        await asyncio.sleep(max(0, start + tick * BATCH / FPS / 4 - time.monotonic()))
    return pushes[0].next_frame / (FPS * (time.monotonic() - start)) if pushes else 1.0


async def get_json(reader, writer, host, path):
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
    head = await reader.readuntil(b"\r\n\r\n")
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length"))
    return json.loads(await reader.readexactly(length))
