"""A producer-like PutMedia client: streams Matroska as a chunked POST to /putMedia with KVS's
headers while a reader thread collects the JSON acks that videod sends back on the same
connection (as the KVS producer SDK does). Each ack is kept with the time it arrived and how many
body bytes had been sent by then."""
import json
import socket
import threading
import time
import urllib.parse


class PutMedia:
    def __init__(self, url, stream=None, arn=None, timecode_type="RELATIVE", start=None, extra_headers=None):
        parsed = urllib.parse.urlparse(url)
        self.sock = socket.create_connection((parsed.hostname, parsed.port), timeout=60)
        headers = {"Host": parsed.netloc, "Transfer-Encoding": "chunked", "Content-Type": "application/octet-stream",
                   "x-amzn-fragment-timecode-type": timecode_type,
                   "x-amzn-fragment-acknowledgment-required": "1"}
        if stream:
            headers["x-amzn-stream-name"] = stream
        if arn:
            headers["x-amzn-stream-arn"] = arn
        if start is not None:
            headers["x-amzn-producer-start-timestamp"] = f"{start:.3f}"
        headers.update(extra_headers or {})
        head = "POST /putMedia HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
        self.sock.sendall(head.encode())
        self.sent = 0
        self.acks = []          # (ack dict, arrival time, bytes sent by then)
        self.status = None
        self.error_body = b""
        self.closed = threading.Event()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def send(self, data, chunk=16384, pause=0.0):
        """Sends `data` as HTTP chunks of `chunk` bytes, sleeping `pause` between them. Returns
        False if the server stopped reading."""
        for i in range(0, len(data), chunk):
            piece = data[i:i + chunk]
            try:
                self.sock.sendall(b"%x\r\n" % len(piece) + piece + b"\r\n")
            except OSError:
                return False
            self.sent += len(piece)
            if pause:
                time.sleep(pause)
        return True

    def finish(self, timeout=60):
        """Ends the body and waits for the server to end the ack stream."""
        try:
            self.sock.sendall(b"0\r\n\r\n")
        except OSError:
            pass
        self.closed.wait(timeout)
        self.sock.close()
        return self

    def _read(self):
        stream = self.sock.makefile("rb")
        try:
            status_line = stream.readline()
            self.status = int(status_line.split()[1])
            headers = {}
            while True:
                line = stream.readline()
                if line in (b"\r\n", b""):
                    break
                key, _, value = line.decode().partition(":")
                headers[key.strip().lower()] = value.strip()
            self.headers = headers
            if self.status != 200:
                length = int(headers.get("content-length", "0"))
                self.error_body = stream.read(length)
                return
            pending = b""
            while True:
                size_line = stream.readline()
                if not size_line:
                    return
                size = int(size_line.strip() or b"0", 16)
                if size == 0:
                    return
                pending += stream.read(size)
                stream.readline()
                while b"\n" in pending:
                    line, _, pending = pending.partition(b"\n")
                    if line.strip():
                        self.acks.append((json.loads(line), time.time(), self.sent))
        except (OSError, ValueError):
            return
        finally:
            self.closed.set()

    def events(self, kind):
        return [ack for ack, _, _ in self.acks if ack["EventType"] == kind]
