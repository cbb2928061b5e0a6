"""Find a Python >= 3.12 for the Unfazed tests (Unfazed requires it)."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

MINIMUM = (3, 12)


def _version(python: str) -> tuple[int, int] | None:
    try:
        out = subprocess.run(
            [python, "-c", "import sys; print(*sys.version_info[:2])"], capture_output=True, text=True, timeout=30
        )
    except OSError:
        return None
    return tuple(map(int, out.stdout.split())) if out.returncode == 0 else None  # type: ignore[return-value]


def candidates() -> list[str]:
    """ALDABRA_PYTHON312, then python3.12/python3.13 on PATH, then pyenv's installed versions
    (a pyenv shim on PATH answers only for the versions it is told to use)."""
    found = [os.environ.get("ALDABRA_PYTHON312", "")]
    found += [shutil.which(name) or "" for name in ("python3.12", "python3.13")]
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    found += sorted(str(p) for p in pyenv_root.glob("versions/3.1[2-9]*/bin/python3"))
    return [c for c in found if c]


def find_python312() -> str:
    for python in candidates():
        version = _version(python)
        if version is not None and version >= MINIMUM:
            return python
    raise RuntimeError(
        "the Unfazed tests need Python >= 3.12 and found none; install it (e.g. `pyenv install 3.12`) "
        "or point ALDABRA_PYTHON312 at one. Looked at: " + ", ".join(candidates())
    )
