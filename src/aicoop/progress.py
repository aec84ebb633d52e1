"""Progress on long work, on stderr, only when stderr is a terminal (never in pipes, logs or
tests) and not asked to be quiet. tqdm draws it; it is imported only when shown."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

#: set by ``kg --quiet``
QUIET = False


def showing() -> bool:
    return not QUIET and sys.stderr.isatty()


class _Counting:
    """A binary file whose reads advance a progress bar by the bytes read."""

    def __init__(self, fh: IO[bytes], bar) -> None:
        self._fh, self._bar = fh, bar

    def read(self, size: int = -1) -> bytes:
        data = self._fh.read(size)
        self._bar.update(len(data))
        return data

    def readinto(self, buffer) -> int:
        n = self._fh.readinto(buffer)
        self._bar.update(n or 0)
        return n

    def __getattr__(self, name: str):
        return getattr(self._fh, name)


@contextlib.contextmanager
def reading(path: Path, what: str) -> Iterator[IO[bytes] | None]:
    """The file opened for a parser, counting bytes on a bar; ``None`` when no bar is shown
    (the caller then hands the parser the path, its fastest way in)."""
    if not showing():
        yield None
        return
    from tqdm import tqdm
    with open(path, "rb") as fh, tqdm(total=path.stat().st_size, unit="B", unit_scale=True,
                                      desc=what, file=sys.stderr, leave=False) as bar:
        yield _Counting(fh, bar)  # type: ignore[misc]


@contextlib.contextmanager
def steps(total: int, what: str, unit: str = "triples") -> Iterator[Callable[[int], None]]:
    """A function to call with each amount of work done; draws a bar only when shown."""
    if not showing() or total <= 0:
        yield lambda n: None
        return
    from tqdm import tqdm
    with tqdm(total=total, unit=unit, unit_scale=True, desc=what, file=sys.stderr,
              leave=False) as bar:
        yield bar.update
