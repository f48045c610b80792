"""An RTSP camera stand-in: GStreamer's RTSP server serving a live H.264 test picture in PLAY
mode. Run with Debian's own python3 (the interpreter python3-gi belongs to):

    /usr/bin/python3 rtsp_camera.py PORT        # serves rtsp://127.0.0.1:PORT/cam
"""
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

Gst.init(None)
server = GstRtspServer.RTSPServer()
server.set_address("127.0.0.1")
server.set_service(sys.argv[1])
factory = GstRtspServer.RTSPMediaFactory()
factory.set_launch("( videotestsrc is-live=true pattern=ball ! video/x-raw,width=320,height=240,framerate=15/1 "
                   "! x264enc tune=zerolatency key-int-max=30 bitrate=300 speed-preset=veryfast "
                   "! rtph264pay name=pay0 pt=96 config-interval=1 )")
factory.set_shared(True)
server.get_mount_points().add_factory("/cam", factory)
server.attach(None)
print("ready", flush=True)
GLib.MainLoop().run()
