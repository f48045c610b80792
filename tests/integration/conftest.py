import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from videod import Videod, make_clip  # noqa: E402

FPS = 15


@pytest.fixture(scope="session")
def clips(tmp_path_factory):
    """20 s lavfi clips, generated once per run: H.264+AAC and H.265+AAC, 2 s GOP, 15 fps."""
    folder = tmp_path_factory.mktemp("clips")
    return {
        "h264": make_clip(folder / "h264.mp4", "h264", 20),
        "h265": make_clip(folder / "h265.mp4", "h265", 20),
        "short": make_clip(folder / "short.mp4", "h264", 6),
    }


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """One videod shared by tests that use distinct stream names."""
    instance = Videod(tmp_path_factory.mktemp("shared") / "data").start()
    yield instance
    instance.stop()


@pytest.fixture
def fresh_server(tmp_path):
    """A videod of the test's own, for restarts and flags."""
    instances = []

    def start(*args, data=None):
        instance = Videod(data or tmp_path / "data", *args).start()
        instances.append(instance)
        return instance

    yield start
    for instance in instances:
        instance.stop()
