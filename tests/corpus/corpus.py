"""A labelled corpus for frame analysis, generated with ffmpeg (lavfi sources, overlays, noise,
eq; fixed seeds), so nothing large is committed and every run sees the same pictures.

Each clip has ground truth: `motion` (list of [start, end] seconds, or None when motion is not
scored on that clip) and `cuts` (list of frame indices of the first frame of each new view, or
None when cuts are not scored). Distractor clips expect nothing.
"""
import json
import pathlib
import subprocess

FPS = 15
SECONDS = 12


def _texture(folder, width, height):
    """A still, camera-like picture (walls, a floor, detail) rendered once."""
    path = folder / f"texture-{width}x{height}.png"
    if not path.exists():
        lum = ("110+45*sin(X/37)*cos(Y/29)+25*sin((X+2*Y)/11)+20*gt(mod(X,160),80)"
               "-30*gt(Y,H*0.7)+10*sin(X*Y/5000)")
        subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
                        "-i", f"color=c=gray:s={width * 2}x{height}:d=1", "-vf",
                        f"geq=lum='{lum}':cb=128:cr=128", "-frames:v", "1", str(path)], check=True, timeout=120)
    return path


def _box(w, h, color="white"):
    return f"color=c={color}:s={w}x{h}:r={FPS}"


def _with_transitions(name, seed, W, H, noise, transitions):
    """A scene clip of shots (different views of the texture) joined by xfade transitions
    (kind, start s, duration s); its truth is the transitions' spans, and no cuts."""
    views = [f"crop={W}:{H}:0:0", f"crop={W}:{H}:{W}:0,hflip", f"crop={W}:{H}:{W // 2}:0,vflip",
             f"crop={W}:{H}:{W // 4}:0,hflip,vflip"][:len(transitions) + 1]
    edges = [0] + [start for _, start, _ in transitions] + [SECONDS + 1]
    graph = f"[0]split={len(views)}" + "".join(f"[s{i}]" for i in range(len(views))) + ";"
    for i, view in enumerate(views):
        # A shot runs from its transition in to the end of its transition out.
        end = edges[i + 1] + (transitions[i][2] if i < len(transitions) else 0)
        graph += f"[s{i}]{view},trim=0:{end - edges[i]},setpts=PTS-STARTPTS[v{i}];"
    joined = "v0"
    for i, (kind, start, duration) in enumerate(transitions):
        graph += f"[{joined}][v{i + 1}]xfade=transition={kind}:duration={duration}:offset={start}"
        joined = f"x{i}"
        graph += f"[{joined}];" if i < len(transitions) - 1 else f",{noise}"
    return dict(name=name, kind="scene", motion=None, cuts=[], seed=seed, inputs=[], graph=graph,
                gradual=[[start, start + duration] for _, start, duration in transitions])


# Each spec: name, kind, truth, and a filter graph over [bg] (the texture, twice the width, looped)
# plus extra lavfi inputs. {W} and {H} are the clip size; boxes are sized as a share of it.
def _specs(W, H):
    small_w, small_h = W * 48 // 640, H * 24 // 360          # 0.5 % of the picture
    person_w, person_h = W * 80 // 640, H * 170 // 360       # ~6 %
    view = f"crop={W}:{H}:0:0"
    noise = "noise=alls=6:allf=t+u:all_seed={seed}"
    return [
        # Motion that must fire.
        dict(name="small_object", kind="motion", motion=[[3, 7]], cuts=None, seed=1,
             inputs=[_box(small_w, small_h)],
             graph=f"[0]{view}[v];[v][1]overlay=x='60+(t-3)*110':y={H // 2}:enable='between(t,3,7)',{noise}"),
        dict(name="person_walk", kind="motion", motion=[[2, 8]], cuts=None, seed=2,
             inputs=[_box(person_w, person_h, "0x303030")],
             graph=f"[0]{view}[v];[v][1]overlay=x='(t-2)*{W // 7}':y={H // 4}:enable='between(t,2,8)',{noise}"),
        dict(name="two_visits", kind="motion", motion=[[1.5, 4], [7, 9.5]], cuts=None, seed=3,
             inputs=[_box(small_w * 2, small_h * 2, "0xe0e0e0")],
             graph=(f"[0]{view}[v];[v][1]overlay=x='if(lt(t,5),40+(t-1.5)*80,W-120-(t-7)*80)':y={H // 3}"
                    f":enable='between(t,1.5,4)+between(t,7,9.5)',{noise}")),
        dict(name="dark_object_low_contrast", kind="motion", motion=[[4, 9]], cuts=None, seed=4,
             inputs=[_box(small_w * 2, small_h * 2, "0x505050")],
             graph=f"[0]{view}[v];[v][1]overlay=x='W-(t-4)*70':y={H * 2 // 3}:enable='between(t,4,9)',{noise}"),
        # A small object (≈ 0.2 % of the picture) in H.265 (issue 16: missed or late on 1080p H.265).
        dict(name="small_object_h265", kind="motion", motion=[[3, 7]], cuts=None, seed=30, codec="h265",
             inputs=[_box(W * 24 // 640, H * 22 // 360)],
             graph=f"[0]{view}[v];[v][1]overlay=x='{W // 3}+(t-3)*{W / 32}':y={H // 2}:enable='between(t,3,7)',{noise}"),
        # Sparse short motion on a 4 s GOP (issue 16: missed, or its interval wrong).
        dict(name="sparse_motion_4s_gop", kind="motion", motion=[[5, 6.2]], cuts=None, seed=31, gop=4,
             inputs=[_box(small_w * 2, small_h * 2, "0xd0d0d0")],
             graph=f"[0]{view}[v];[v][1]overlay=x='80+(t-5)*{W // 4}':y={H // 3}:enable='between(t,5,6.2)',{noise}"),
        # Slow creeping motion: a person-sized shape standing still, then creeping (8 px/s at 640 wide).
        dict(name="creeping", kind="motion", motion=[[3, 10]], cuts=None, seed=25,
             inputs=[_box(person_w, person_h, "0x383838")],
             graph=(f"[0]{view}[v];[v][1]overlay=x='{W // 3}+{W / 80}*min(max(t-3,0),7)':y={H // 4},{noise}")),
        # Distractors: no motion events, no cuts.
        dict(name="sensor_noise", kind="distractor", motion=[], cuts=[], seed=5, inputs=[],
             graph=f"[0]{view},noise=alls=18:allf=t+u:all_seed=5"),
        dict(name="compression", kind="distractor", motion=[], cuts=[], seed=6, inputs=[], bitrate="120k",
             graph=f"[0]{view},{noise}"),
        dict(name="brightness_drift", kind="distractor", motion=[], cuts=[], seed=7, inputs=[],
             graph=f"[0]{view},eq=brightness='-0.025*t':eval=frame,{noise}"),
        dict(name="lights_switch", kind="distractor", motion=[], cuts=[], seed=8, inputs=[],
             graph=f"[0]{view},eq=brightness=-0.35:contrast=0.7:enable='between(t,4,8)',{noise}"),
        dict(name="ir_cut", kind="distractor", motion=[], cuts=[], seed=9, inputs=[],
             graph=f"[0]{view},eq=gamma=1.6:contrast=1.3:brightness=0.1:enable='gte(t,5)',{noise}"),
        dict(name="blinking_led", kind="distractor", motion=[], cuts=[], seed=10,
             inputs=[_box(max(2, W // 160), max(2, W // 160), "0xff2020")],
             graph=f"[0]{view}[v];[v][1]overlay=x=W-20:y=12:enable='lt(mod(t,1),0.5)',{noise}"),
        # Sensor noise whose level steps up and down (a street camera at dusk with changing gain).
        dict(name="noise_steps", kind="distractor", motion=[], cuts=[], seed=17, inputs=[],
             graph=(f"[0]{view},split=4[a][b][c][d];"
                    f"[a]trim=0:3,setpts=PTS-STARTPTS,noise=alls=3:allf=t+u:all_seed=17[p1];"
                    f"[b]trim=3:6,setpts=PTS-STARTPTS,noise=alls=24:allf=t+u:all_seed=18[p2];"
                    f"[c]trim=6:9,setpts=PTS-STARTPTS,noise=alls=6:allf=t+u:all_seed=19[p3];"
                    f"[d]trim=9:{SECONDS},setpts=PTS-STARTPTS,noise=alls=30:allf=t+u:all_seed=20[p4];"
                    f"[p1][p2][p3][p4]concat=n=4")),
        # Scene changes: cuts must be found on the right frame; flashes, fast motion, pans are not cuts.
        dict(name="hard_cuts", kind="scene", motion=None, cuts=[4 * FPS, 8 * FPS], seed=11,
             inputs=[_box(person_w, person_h, "0x202020")],
             graph=(f"[0]split=3[a][b][c];[1]split=3[m1][m2][m3];"
                    f"[a]crop={W}:{H}:0:0[a1];[a1][m1]overlay=x='mod(t*120,W)':y=H/4[a2];"
                    f"[b]crop={W}:{H}:{W // 2}:0,hflip,negate[b1];[b1][m2]overlay=x='W-mod(t*150,W)':y=H/3[b2];"
                    f"[c]crop={W}:{H}:{W}:0,vflip,eq=contrast=1.4[c1];[c1][m3]overlay=x='mod(t*90,W)':y=H/2[c2];"
                    f"[a2]trim=0:4,setpts=PTS-STARTPTS[p1];[b2]trim=4:8,setpts=PTS-STARTPTS[p2];"
                    f"[c2]trim=8:{SECONDS},setpts=PTS-STARTPTS[p3];[p1][p2][p3]concat=n=3,{noise}")),
        dict(name="camera_covered", kind="scene", motion=None, cuts=[5 * FPS, 8 * FPS], seed=12,
             inputs=[_box(W, H, "0x101010")],
             graph=f"[0]{view}[v];[v][1]overlay=enable='between(n,{5 * FPS},{8 * FPS - 1})',{noise}"),
        dict(name="camera_moved", kind="scene", motion=None, cuts=[6 * FPS], seed=16, inputs=[],
             graph=f"[0]crop={W}:{H}:'if(lt(n,{6 * FPS}),0,{W // 3})':0,{noise}"),
        dict(name="flashes", kind="scene", motion=None, cuts=[], seed=13, inputs=[],
             graph=(f"[0]{view},eq=brightness=0.5:contrast=1.6:"
                    f"enable='between(n,45,46)+eq(n,100)+between(n,140,141)',{noise}")),
        dict(name="fast_motion", kind="scene", motion=None, cuts=[], seed=14,
             inputs=[_box(W // 3, H * 2 // 3, "0x181818")],
             graph=f"[0]{view}[v];[v][1]overlay=x='mod(t*{W * 2},W+w)-w':y=H/6,{noise}"),
        dict(name="slow_pan", kind="scene", motion=None, cuts=[], seed=15, inputs=[],
             graph=f"[0]crop={W}:{H}:'t*{W // 16}':0,{noise}"),
        # Gradual transitions: dissolves and fades, reported as SCENE_CHANGE with transition "gradual".
        _with_transitions("dissolves", 22, W, H, noise, [("fade", 4, 1), ("dissolve", 8, 2)]),
        _with_transitions("fades", 23, W, H, noise, [("fadeblack", 4, 1), ("fadewhite", 8, 1.5)]),
        _with_transitions("short_and_long_fades", 24, W, H, noise, [("fade", 2.5, 0.5), ("fadeblack", 5.5, 1.5), ("dissolve", 9, 2)]),
        _with_transitions("mixed_fades_a", 26, W, H, noise, [("dissolve", 2, 0.5), ("fadegrays", 5, 1), ("fade", 8.5, 2)]),
        _with_transitions("mixed_fades_b", 27, W, H, noise, [("fadewhite", 2.5, 0.5), ("dissolve", 5.5, 1.5), ("fadeblack", 9, 2)]),
        _with_transitions("mixed_fades_c", 28, W, H, noise, [("fade", 3, 1.2), ("fadegrays", 6.5, 0.7), ("dissolve", 9.5, 1)]),
        # Cuts between shots that look alike: other parts of the same walls, same light, no flips.
        dict(name="similar_shots", kind="scene", motion=None, cuts=[4 * FPS, 8 * FPS], seed=29, inputs=[],
             graph=(f"[0]split=3[a][b][c];[a]crop={W}:{H}:0:0,trim=0:4[p1];"
                    f"[b]crop={W}:{H}:{W}:0,trim=0:4,setpts=PTS-STARTPTS[p2];"
                    f"[c]crop={W}:{H}:{W * 2 // 3}:0,trim=0:{SECONDS - 8},setpts=PTS-STARTPTS[p3];"
                    f"[p1][p2][p3]concat=n=3,{noise}")),
        # A fast pan back and forth (up to ¾ of the picture a second) on low-bitrate video.
        # A whip pan: the view sweeps a whole picture width in ~0.7 s, back and forth, at 80 kbit/s.
        dict(name="whip_pan_low_bitrate", kind="scene", motion=None, cuts=[], seed=32, inputs=[], bitrate="80k",
             graph=f"[0]crop={W}:{H}:'{W // 2}*(1-cos(t*4.5))':0,{noise}"),
        dict(name="fast_pan_low_bitrate", kind="scene", motion=None, cuts=[], seed=21, inputs=[], bitrate="150k",
             graph=f"[0]crop={W}:{H}:'{W // 2}*(1-cos(t*1.5))':0,{noise}"),
    ]


SUBSET = ["small_object", "two_visits", "sensor_noise", "lights_switch", "blinking_led",
          "hard_cuts", "fades", "flashes", "slow_pan"]


def _encoder(spec, width, encoding):
    """Encoder arguments. "corpus": the corpus' own encode (B-frames, average bitrate);
    "camera-vbr" and "camera-cbr": as IP cameras encode (no B-frames, capped variable bitrate, or
    constant bitrate padded with filler), to measure the decode gate on both kinds."""
    gop = spec.get("gop", 2) * FPS
    bitrate = spec.get("bitrate", "1500k" if width >= 1280 else "600k")
    if spec.get("codec") == "h265":
        params = f"log-level=error:keyint={gop}:min-keyint={gop}:scenecut=0"
        if encoding == "camera-vbr":
            params += f":bframes=0:crf=28:vbv-maxrate={bitrate[:-1]}:vbv-bufsize={bitrate[:-1]}"
        elif encoding == "camera-cbr":
            params += f":bframes=0:bitrate={bitrate[:-1]}:vbv-maxrate={bitrate[:-1]}:vbv-bufsize={bitrate[:-1]}:strict-cbr=1"
        return ["-c:v", "libx265", "-preset", "veryfast", "-x265-params", params] + (["-b:v", bitrate] if encoding == "corpus" else [])
    x264 = ["-c:v", "libx264", "-preset", "veryfast", "-g", str(gop), "-sc_threshold", "0"]
    if encoding == "camera-vbr":
        return x264 + ["-bf", "0", "-crf", "23", "-maxrate", bitrate, "-bufsize", bitrate]
    if encoding == "camera-cbr":
        return x264 + ["-bf", "0", "-b:v", bitrate, "-minrate", bitrate, "-maxrate", bitrate, "-bufsize", bitrate,
                       "-x264-params", "nal-hrd=cbr"]
    return x264 + ["-b:v", bitrate]


def _with_lead(spec, lead):
    """The clip after `lead` seconds of its first picture (sensor noise still moving where the
    clip's last filter adds it), as a camera runs before anything happens; truth shifted."""
    graph = spec["graph"]
    tail = graph.rfind(",noise=")
    pad = f",tpad=start_duration={lead}:start_mode=clone"
    if tail >= 0 and not any(c in graph[tail + 1:] for c in ",;["):
        graph = graph[:tail] + pad + graph[tail:]
    else:
        graph += pad
    shifted = dict(spec, graph=graph)
    if spec["motion"]:
        shifted["motion"] = [[a + lead, b + lead] for a, b in spec["motion"]]
    if spec["cuts"]:
        shifted["cuts"] = [frame + lead * FPS for frame in spec["cuts"]]
    if spec.get("gradual"):
        shifted["gradual"] = [[a + lead, b + lead] for a, b in spec["gradual"]]
    return shifted


def build(folder, width=640, height=360, names=None, encoding="corpus", lead=0):
    """Renders the clips (15 fps, 2 s GOP unless a clip says otherwise) into `folder`, encoded
    as `encoding` says (see `_encoder`), each after `lead` quiet seconds (`_with_lead`: what a
    gate that learns a stream first needs); returns their specs with paths."""
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    texture = _texture(folder, width, height)
    suffix = ("" if encoding == "corpus" else f"-{encoding}") + (f"-lead{lead}" if lead else "")
    clips = []
    for spec in _specs(width, height):
        if names and spec["name"] not in names:
            continue
        # Where cuts are scored, gradual transitions are too (none, unless the clip names them).
        spec.setdefault("gradual", [] if spec["cuts"] is not None else None)
        if lead:
            spec = _with_lead(spec, lead)
        path = folder / f"{spec['name']}-{width}x{height}{suffix}.mp4"
        if not path.exists():
            graph = spec["graph"].replace("{seed}", str(spec["seed"]))
            cmd = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
                   "-loop", "1", "-framerate", str(FPS), "-i", str(texture)]
            for source in spec["inputs"]:
                cmd += ["-f", "lavfi", "-i", source]
            cmd += ["-filter_complex", graph + ",format=yuv420p", "-t", str(SECONDS + lead),
                    *_encoder(spec, width, encoding), "-an", str(path)]
            subprocess.run(cmd, check=True, timeout=300)
        clips.append(dict(spec, path=str(path), fps=FPS, width=width, height=height))
    (folder / f"truth-{width}x{height}{suffix}.json").write_text(json.dumps(
        [{k: c[k] for k in ("name", "kind", "motion", "cuts", "gradual", "fps")} for c in clips], indent=1))
    return clips
