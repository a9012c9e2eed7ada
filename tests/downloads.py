"""What AppTest's download buttons offer. AppTest throws its media store away after each run and
its elements carry no file name, so the ``downloads`` fixture (tests/conftest.py) records every
file Streamlit is given: its bytes and its name, by file id."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest


@dataclass
class Downloads:
    """Every download recorded: bytes and file name by Streamlit's file id."""

    data: dict[str, bytes] = field(default_factory=dict)
    names: dict[str, str | None] = field(default_factory=dict)

    @staticmethod
    def file_id(button) -> str:
        """A download button's file id, from its media URL."""
        return button.proto.url.rsplit("/", 1)[-1].split(".")[0]

    def of(self, button) -> bytes:
        """The bytes a reader gets from the button."""
        return self.data[self.file_id(button)]

    def name(self, button) -> str | None:
        """The file name a reader's browser saves the button's download under."""
        return self.names[self.file_id(button)]


@contextmanager
def recording() -> Iterator[Downloads]:
    """Record every file given to Streamlit's media store while the block runs."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    seen, original = Downloads(), MemoryMediaFileStorage.load_and_get_id

    def load_and_get_id(self, path_or_data, mimetype, kind, filename=None):
        file_id = original(self, path_or_data, mimetype, kind, filename)
        if isinstance(path_or_data, bytes):
            seen.data[file_id], seen.names[file_id] = path_or_data, filename
        return file_id

    mp = pytest.MonkeyPatch()
    mp.setattr(MemoryMediaFileStorage, "load_and_get_id", load_and_get_id)
    try:
        yield seen
    finally:
        mp.undo()
