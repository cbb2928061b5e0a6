"""Throw-away PostgreSQL and MariaDB servers, private to one process, that can be
restarted (or killed) for real without disturbing the shared services other tests use.

    async with PrivatePostgres(port=55432) as server:   # initdb into a temp dir, start
        server.credentials                               # host/port/user for a client
        await server.restart(hard=False)                 # stop (fast or kill) and start again

Each lives in its own temporary directory (data, unix socket, log), listens on
127.0.0.1 only, and is stopped and deleted on exit.  PostgreSQL refuses to run as root,
so when the caller is root its commands run as the ``postgres`` OS user (``runuser``).
Durability settings are relaxed (no fsync): a killed *process* keeps what it wrote to
the kernel, which is all a restart test needs.
"""
from __future__ import annotations

import asyncio
import glob
import os
import pwd
import shutil
import signal
import socket
import tempfile
from typing import Any


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def run(*command: str, user: str | None = None, timeout: float = 60) -> str:
    """Run ``command`` (as ``user`` when given), its output returned; RuntimeError if it fails."""
    if user is not None:
        command = ("runuser", "-u", user, "--", *command)
    process = await asyncio.create_subprocess_exec(
        *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    try:
        out, _ = await asyncio.wait_for(process.communicate(), timeout)
    except asyncio.TimeoutError:
        process.kill()
        await process.wait()
        raise RuntimeError(f"{' '.join(command)} did not finish within {timeout:g} s") from None
    if process.returncode:
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}): {out.decode().strip()}")
    return out.decode()


class PrivateServer:
    """Common lifecycle: a temp dir, ``install()`` once, ``start()``/``stop()``, cleanup."""

    name = ""
    user = ""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.dir = ""

    @property
    def credentials(self) -> dict[str, Any]:
        return {"host": "127.0.0.1", "port": self.port, "user": self.user}

    async def __aenter__(self) -> "PrivateServer":
        self.dir = tempfile.mkdtemp(prefix=f"aldabra-{self.name}-")
        try:
            await self.install()
            await self.start()
        except BaseException:
            await self.close()
            raise
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()

    async def close(self) -> None:
        try:
            await self.stop(hard=True)
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    async def restart(self, hard: bool = False, down: float = 0.0) -> None:
        """Stop (``hard``: kill, no shutdown protocol), stay down ``down`` s, start again."""
        await self.stop(hard)
        await asyncio.sleep(down)
        await self.start()

    async def install(self) -> None:
        raise NotImplementedError

    async def start(self) -> None:
        raise NotImplementedError

    async def stop(self, hard: bool) -> None:
        raise NotImplementedError


class PrivatePostgres(PrivateServer):
    name = "postgres"
    user = "postgres"

    def __init__(self, port: int | None = None) -> None:
        super().__init__(port)
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
        if not found and shutil.which("pg_ctl") is None:
            raise RuntimeError("no PostgreSQL server binaries (pg_ctl) found")
        self.bin = os.path.dirname(found[-1]) if found else os.path.dirname(shutil.which("pg_ctl"))
        # PostgreSQL refuses root: run its commands as the postgres OS user
        self.os_user = "postgres" if os.geteuid() == 0 else None

    @property
    def data(self) -> str:
        return os.path.join(self.dir, "data")

    async def install(self) -> None:
        if self.os_user is not None:
            os.chown(self.dir, pwd.getpwnam(self.os_user).pw_uid, -1)
        await run(os.path.join(self.bin, "initdb"), "-D", self.data, "-U", "postgres", "-A", "trust",
                  "-E", "UTF8", "--no-sync", "--no-instructions", user=self.os_user)

    async def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        await run(os.path.join(self.bin, "pg_ctl"), "-D", self.data, "-l", os.path.join(self.dir, "log"),
                  "-w", "-t", "60", "-o", options, "start", user=self.os_user)

    async def stop(self, hard: bool) -> None:
        if not os.path.exists(os.path.join(self.data, "postmaster.pid")):
            return
        # "immediate" kills every backend at once, as a crash would; "fast" is a normal restart
        await run(os.path.join(self.bin, "pg_ctl"), "-D", self.data, "-w", "-t", "60",
                  "-m", "immediate" if hard else "fast", "stop", user=self.os_user)


class PrivateMariaDB(PrivateServer):
    name = "mariadb"
    user = "root"

    def __init__(self, port: int | None = None) -> None:
        super().__init__(port)
        self.daemon = shutil.which("mariadbd") or "/usr/sbin/mariadbd"
        self.installer = shutil.which("mariadb-install-db") or shutil.which("mysql_install_db")
        self.admin = shutil.which("mariadb-admin") or shutil.which("mysqladmin")
        if not (os.path.exists(self.daemon) and self.installer and self.admin):
            raise RuntimeError("no MariaDB server binaries (mariadbd, mariadb-install-db) found")
        self.process: asyncio.subprocess.Process | None = None

    @property
    def data(self) -> str:
        return os.path.join(self.dir, "data")

    async def install(self) -> None:
        await run(self.installer, "--no-defaults", f"--datadir={self.data}", "--user=root",
                  "--auth-root-authentication-method=normal", "--skip-test-db")

    async def start(self) -> None:
        log = open(os.path.join(self.dir, "log"), "ab")
        try:
            self.process = await asyncio.create_subprocess_exec(
                self.daemon, "--no-defaults", f"--datadir={self.data}", f"--port={self.port}",
                "--bind-address=127.0.0.1", f"--socket={os.path.join(self.dir, 'sock')}",
                f"--pid-file={os.path.join(self.dir, 'pid')}", "--user=root", "--skip-name-resolve",
                "--skip-log-bin", "--innodb-buffer-pool-size=32M", "--innodb-flush-log-at-trx-commit=2",
                "--max-connections=300",
                stdout=log, stderr=log,
            )
        finally:
            log.close()
        for _ in range(240):
            if self.process.returncode is not None:
                raise RuntimeError(f"mariadbd exited ({self.process.returncode}); see {self.dir}/log")
            try:
                await run(self.admin, "--no-defaults", "-h", "127.0.0.1", "-P", str(self.port), "-uroot",
                          "--connect-timeout=1", "ping", timeout=5)
                return
            except RuntimeError:
                await asyncio.sleep(0.25)
        raise RuntimeError(f"mariadbd on port {self.port} did not come up; see {self.dir}/log")

    async def stop(self, hard: bool) -> None:
        process, self.process = self.process, None
        if process is None or process.returncode is not None:
            return
        process.send_signal(signal.SIGKILL if hard else signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), 60)
        except asyncio.TimeoutError:
            process.kill()
            await process.wait()


PRIVATE: dict[str, type[PrivateServer]] = {"postgres": PrivatePostgres, "mysql": PrivateMariaDB}
