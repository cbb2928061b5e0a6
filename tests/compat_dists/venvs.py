"""Fresh virtualenvs under a tmp dir holding Aldabra, the compatibility distributions of
compat/ and real third-party libraries that require ``tortoise-orm`` / ``aerich``.

Everything is built from this checkout into the tmp dir (the source tree stays clean);
pip's own cache keeps repeated runs fast, and a fresh machine downloads from PyPI.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
COMPAT_DISTS = ("tortoise-orm", "aerich")
INSTALL_TIMEOUT = 600  # a cold pip cache on a slow mirror; a warm one takes seconds


def run(cmd: list[str], *, timeout: float, env: dict[str, str] | None = None, cwd: Path | None = None) -> str:
    """Run a command; on failure raise with its whole output (what pip or the app said)."""
    proc = subprocess.run(
        [str(c) for c in cmd],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        stdin=subprocess.DEVNULL,
    )
    if proc.returncode != 0:
        raise AssertionError(
            f"{' '.join(map(str, cmd))} exited with {proc.returncode}\n"
            f"--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"
        )
    return proc.stdout


def build_wheels(dest: Path) -> list[Path]:
    """Wheels of Aldabra and of every compat/ distribution, built from copies in ``dest``."""
    sources = dest / "src"
    aldabra = sources / "aldabra"
    aldabra.mkdir(parents=True)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, aldabra / name)
    for package in sorted(p for p in REPO.iterdir() if p.is_dir() and (p / "__init__.py").exists() and p.name != "tests"):
        shutil.copytree(package, aldabra / package.name, ignore=shutil.ignore_patterns("__pycache__"))
    dirs = [aldabra]
    for name in COMPAT_DISTS:
        dirs.append(shutil.copytree(REPO / "compat" / name, sources / name))
    wheels = dest / "wheels"
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", wheels, *dirs], timeout=INSTALL_TIMEOUT)
    return sorted(wheels.glob("*.whl"))


class Venv:
    """A virtualenv created by ``python`` at ``path``."""

    def __init__(self, path: Path, python: str | Path) -> None:
        self.path = path
        run([python, "-m", "venv", path], timeout=120)
        self.python = path / "bin" / "python"

    def install(self, *requirements: str | Path) -> None:
        run([self.python, "-m", "pip", "install", "--quiet", *requirements], timeout=INSTALL_TIMEOUT)

    def run(self, script: Path, *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: float = 120) -> str:
        """Run a script with this venv's python, isolated from the project's .venv and tests."""
        return self.command("python", script, *args, env=env, cwd=cwd, timeout=timeout)

    def command(self, name: str, *args: str | Path, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: float = 120) -> str:
        """Run one of this venv's commands (``bin/<name>``); return its stdout."""
        clean = {"PYTHONPATH": "", "VIRTUAL_ENV": str(self.path), "PYTHONDONTWRITEBYTECODE": "1"}
        return run([self.path / "bin" / name, *args], env={**clean, **(env or {})}, cwd=cwd, timeout=timeout)

    def distributions(self) -> dict[str, str]:
        """{distribution name (lower case): version} of everything installed."""
        out = run([self.python, "-m", "pip", "list", "--format=freeze"], timeout=60)
        return {name.lower(): version for name, _, version in (line.partition("==") for line in out.split())}
