"""Writing files so that a failure never corrupts what the user saved: the one atomic writer.

The content goes to a temporary file with a unique name beside the target
(``.NAME.PID.RANDOM.tmpSUFFIX``), is flushed to disk, and replaces the target in one rename
(atomic on POSIX). Concurrent writers each use their own temporary file; the last rename wins
with a whole file. A failure removes the temporary file and leaves the previous target
untouched; a writer killed outright (kill -9) leaves its temporary file, which the next write of
that target removes once no living process owns it. A target that exists and is not a regular
file (a device, a FIFO, a folder) is refused rather than replaced; a symbolic link is written
through (the file it points to is replaced, the link stays).

A command that writes several files wraps them in :func:`all_or_none`: each is written to its
temporary file as usual, and the renames wait until every one is written, so a failure on the
last file leaves the first ones as they were.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from .errors import UserError

_UMASK = os.umask(0)  # read once at import: os.umask can only be read by setting it
os.umask(_UMASK)


_BATCH: ContextVar[list[tuple[Path, Path]] | None] = ContextVar("atomic_batch", default=None)


def atomic_write(target: str | Path, write: Callable[[Path], object]) -> Path:
    """Call ``write(tmp_path)`` to produce the file, then move it onto ``target``; returns target.
    Inside :func:`all_or_none` the move waits for the batch's end.

    Errors the user can fix (an unwritable folder, a target that is a device) are raised as
    :class:`UserError` naming the target, never the temporary file."""
    target = Path(target)
    if not target.name:
        raise UserError(f"{str(target)!r}: not a file name")
    real = Path(os.path.realpath(target)) if target.is_symlink() else target
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as e:
        raise UserError(f"{target}: cannot write ({e.strerror or e})") from None
    if mode is not None and not stat.S_ISREG(mode):
        raise UserError(f"{target}: exists and is not a regular file; refusing to replace it")
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
        _remove_orphans(real)
        fd, name = tempfile.mkstemp(
            prefix=f".{real.name}.{os.getpid()}.",
            suffix=".tmp" + real.suffix,
            dir=real.parent,
        )
    except OSError as e:
        raise UserError(f"{target}: cannot write ({e.strerror or e})") from None
    os.close(fd)
    tmp = Path(name)
    os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes it private; the target gets the usual mode
    batch = _BATCH.get()
    kept = False
    try:
        write(tmp)
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        if batch is not None:
            batch.append((tmp, real))
            kept = True
        else:
            _commit(tmp, real)
    except OSError as e:
        raise UserError(f"{target}: cannot write ({e.strerror or e})") from None
    finally:
        if not kept and tmp.exists():
            tmp.unlink()
    return target


def _commit(tmp: Path, real: Path) -> None:
    os.replace(tmp, real)
    _fsync_dir(real.parent)


@contextmanager
def all_or_none() -> Iterator[None]:
    """Write several files as one: every :func:`atomic_write` inside the block goes to its
    temporary file, and only when the block ends without an error are they all moved onto
    their targets; an error removes them and leaves every target as it was."""
    outer = _BATCH.get()
    if outer is not None:  # nested: the outer block commits
        yield
        return
    batch: list[tuple[Path, Path]] = []
    token = _BATCH.set(batch)
    try:
        yield
    except BaseException:
        for tmp, _ in batch:
            tmp.unlink(missing_ok=True)
        raise
    finally:
        _BATCH.reset(token)
    while batch:
        tmp, real = batch[0]
        try:
            _commit(tmp, real)
        except OSError as e:
            for left, _ in batch:
                left.unlink(missing_ok=True)
            raise UserError(f"{real}: cannot write ({e.strerror or e})") from None
        batch.pop(0)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _remove_orphans(target: Path) -> None:
    """Remove temporary files of ``target`` whose writing process no longer exists."""
    prefix, suffix = f".{target.name}.", ".tmp" + target.suffix
    try:
        names = os.listdir(target.parent)
    except OSError:
        return
    for name in names:
        if not (name.startswith(prefix) and name.endswith(suffix)):
            continue
        pid = name[len(prefix) :].split(".", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            try:
                os.unlink(target.parent / name)
            except OSError:
                pass  # another writer removed it first


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable (best effort: some filesystems cannot fsync a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_text(target: str | Path, text: str) -> Path:
    """Atomically write ``text`` (UTF-8) to ``target``."""
    return atomic_write(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def user_data_dir() -> Path:
    """Where breakeven keeps the user's own files (price catalog, run store): ``$BREAKEVEN_HOME``,
    else ``$XDG_DATA_HOME/breakeven``, else ``~/.local/share/breakeven`` (XDG base directories)."""
    home = os.environ.get("BREAKEVEN_HOME", "").strip()
    if home:
        return Path(home).expanduser()
    data = os.environ.get("XDG_DATA_HOME", "").strip()
    base = Path(data).expanduser() if data else Path.home() / ".local" / "share"
    return base / "breakeven"
