"""Precision, recall and F1 for motion intervals and cuts, and motion onset latency."""


def f1(precision, recall):
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def intervals_from_events(events):
    """[start, end] pairs from MOTION_START/MOTION_END events (END carries its start)."""
    return [[e["start"], e["time"]] for e in events if e["type"] == "MOTION_END"]


def _iou(a, b):
    inter = max(0.0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union > 0 else 0.0


def match_intervals(detected, truth, min_iou=0.5):
    """Greedy one-to-one matching by overlap; returns (true positives, onset latencies)."""
    used = set()
    latencies = []
    for t in truth:
        best, best_iou = None, min_iou
        for i, d in enumerate(detected):
            if i not in used and _iou(d, t) >= best_iou:
                best, best_iou = i, _iou(d, t)
        if best is not None:
            used.add(best)
            latencies.append(detected[best][0] - t[0])
    return len(used), latencies


def match_cuts(detected_frames, truth_frames, tolerance=2):
    used = set()
    for t in truth_frames:
        for i, d in enumerate(detected_frames):
            if i not in used and abs(d - t) <= tolerance:
                used.add(i)
                break
    return len(used)


class Tally:
    def __init__(self):
        self.tp = self.detected = self.truth = 0

    def add(self, tp, detected, truth):
        self.tp += tp
        self.detected += detected
        self.truth += truth

    @property
    def precision(self):
        return self.tp / self.detected if self.detected else 1.0

    @property
    def recall(self):
        return self.tp / self.truth if self.truth else 1.0

    @property
    def f1(self):
        return f1(self.precision, self.recall)

    def row(self):
        return {"precision": round(self.precision, 3), "recall": round(self.recall, 3), "f1": round(self.f1, 3),
                "tp": self.tp, "detected": self.detected, "truth": self.truth}
