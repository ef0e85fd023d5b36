"""Writing a report where the user asked: never over the submission, never half a file, every failure one
Indonesian line (an input problem, exit 2). Used by a single check and by every worker of a batch."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from sakip_checker.inputs import InputProblem


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def refuse_output(output: Path, source: Path) -> None:
    """Problems of ``-o`` found before the check runs: the input itself, a folder."""
    if _same_file(output, source):
        raise InputProblem([f"--output {output}: berkas keluaran sama dengan berkas pengajuan; laporan akan menimpa "
                            "pengajuan. Sebutkan berkas lain"])
    if output.is_dir():
        raise InputProblem([f"--output {output}: ini folder; sebutkan nama berkas, mis. {output / 'laporan.json'}"])


def write_output(output: Path, content: str | bytes) -> None:
    """Write the report: a regular file is replaced whole (a temporary file renamed over it, so that a failed
    run never leaves half a report); a special file (/dev/null, a FIFO) is written directly. Every failure
    is an input problem with one Indonesian line (exit 2), never an internal error."""
    import tempfile

    data = content if isinstance(content, bytes) else content.encode("utf-8")
    try:
        if output.is_symlink():  # write where the link points, as before, not over the link
            output = output.resolve()
        output.parent.mkdir(parents=True, exist_ok=True)
        if output.exists() and not output.is_file():
            with output.open("wb") as handle:
                handle.write(data)
            return
        fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(tmp, 0o666 & ~_umask())
            os.replace(tmp, output)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        reason = {errno.ENOSPC: "ruang disk penuh", errno.EACCES: "tidak ada izin menulis",
                  errno.EPERM: "tidak ada izin menulis", errno.ENOTDIR: "bagian jalurnya bukan folder",
                  errno.EISDIR: "ini folder", errno.EEXIST: "bagian jalurnya bukan folder", errno.EROFS: "sistem berkas hanya-baca"}.get(exc.errno, exc.strerror)
        raise InputProblem([f"--output {output}: laporan tidak dapat ditulis ({reason})"]) from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
