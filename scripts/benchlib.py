"""What the benchmark scripts share: CPU accounting, the 720p15 test camera clip, a cold page cache,
and the loopback floor a server's serving cost is read against."""
import os
import pathlib
import resource
import socket
import subprocess
import sys

TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu_seconds(pid):
    """User + system CPU of another process (videod)."""
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def own_cpu():
    times = os.times()
    return times.user + times.system


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def make_camera_clip(path, seconds):
    """720p15, ~1.5 Mbit/s H.264 with sensor-like noise, a key frame every 2 s."""
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
                    "-i", "testsrc2=size=1280x720:rate=15,noise=alls=12:allf=t", "-t", str(seconds),
                    "-c:v", "libx264", "-preset", "veryfast", "-b:v", "1500k", "-maxrate", "1800k",
                    "-bufsize", "3000k", "-g", "30", "-keyint_min", "30", "-sc_threshold", "0",
                    "-pix_fmt", "yuv420p", str(path)], check=True)


def drop_page_cache():
    """Makes the next read come from the disk (root only; otherwise reads stay warm)."""
    os.sync()
    try:
        pathlib.Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def loopback_send_floor(gigabytes=2):
    """What the kernel alone charges a sender per GB over loopback TCP (sendall of bytes already
    in memory to a reader process): the floor under any server that copies into its socket."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    reader = subprocess.Popen([sys.executable, "-c", "import socket,sys\n"
                               f"s=socket.create_connection(('127.0.0.1',{listener.getsockname()[1]}))\n"
                               "m=memoryview(bytearray(1<<20))\nwhile s.recv_into(m): pass"])
    connection, _ = listener.accept()
    block = os.urandom(4 << 20)
    cpu0, sent = own_cpu(), 0
    while sent < gigabytes << 30:
        connection.sendall(block)
        sent += len(block)
    used = own_cpu() - cpu0
    connection.close()
    listener.close()
    reader.wait()
    return used / gigabytes


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]
