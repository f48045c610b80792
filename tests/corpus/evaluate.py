"""Runs `videod analyse` over corpus clips and scores the events against the truth."""
import json
import subprocess

from scoring import Tally, intervals_from_events, match_cuts, match_intervals


def analyse(videod, clip, settings=None):
    out = subprocess.run([str(videod), "analyse", clip["path"], "--settings", json.dumps(settings or {})],
                         capture_output=True, timeout=600, check=True, text=True)
    lines = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    return [e for e in lines if "type" in e], next(e["summary"] for e in lines if "summary" in e)


def score(clips, events_of):
    """events_of(clip) -> events; returns per-clip rows and motion/cut tallies."""
    motion, cuts = Tally(), Tally()
    latencies, rows = [], []
    for clip in clips:
        events = events_of(clip)
        row = {"clip": clip["name"], "kind": clip["kind"]}
        if clip["motion"] is not None:
            detected = intervals_from_events(events)
            tp, lat = match_intervals(detected, clip["motion"])
            motion.add(tp, len(detected), len(clip["motion"]))
            latencies += lat
            row["motion"] = {"truth": clip["motion"], "detected": [[round(a, 2), round(b, 2)] for a, b in detected]}
        if clip["cuts"] is not None:
            frames = [round(e["time"] * clip["fps"]) for e in events
                      if e["type"] == "SCENE_CHANGE" and e.get("transition") != "gradual"]
            cuts.add(match_cuts(frames, clip["cuts"]), len(frames), len(clip["cuts"]))
            row["cuts"] = {"truth": clip["cuts"], "detected": frames}
        if clip.get("gradual") is not None:
            spans = [[e["time"], e["end"]] for e in events if e.get("transition") == "gradual"]
            tp, _ = match_intervals(spans, clip["gradual"], min_iou=0.3)
            row["gradual"] = {"truth": clip["gradual"], "detected": [[round(a, 2), round(b, 2)] for a, b in spans], "tp": tp}
        rows.append(row)
    return rows, motion, cuts, latencies


def gradual_tally(rows):
    """Gradual transitions (dissolves, fades) found against the truth, over the rows `score` made."""
    tally = Tally()
    for row in rows:
        if "gradual" in row:
            tally.add(row["gradual"]["tp"], len(row["gradual"]["detected"]), len(row["gradual"]["truth"]))
    return tally
