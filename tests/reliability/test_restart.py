"""A real server restart under load, on a private server started for the test
(``tools/private_servers.py``): the shared services the other tests use are untouched.

50 tasks insert, select and run two-row transactions on one client for 4 s; at 1 s the
server is stopped (cleanly, or killed) and started again.  Nothing committed is lost,
nothing is doubled or half written, no failure is one whose statement was never sent,
and the load succeeds again soon after the server is back."""
from __future__ import annotations

import pytest

from tests.conftest import TEST_DB
from tools.private_servers import PRIVATE
from tools.restart_under_load import CLIENTS, scenario

pytestmark = pytest.mark.skipif(TEST_DB not in CLIENTS, reason="pooled backends only (postgres, psycopg, mysql)")


@pytest.fixture(autouse=True)
def _server_binaries():
    try:
        PRIVATE[CLIENTS[TEST_DB]["server"]]()
    except (RuntimeError, KeyError) as exc:
        pytest.skip(f"cannot start a private server: {exc}")


@pytest.mark.parametrize("hard", [False, True], ids=["restart", "kill"])
async def test_load_survives_a_real_restart(hard):
    report = await scenario(TEST_DB, tasks=50, seconds=4, restart_at=1, hard=hard, down=0.5, quiet=True)
    assert report.ops > 200
    assert (report.lost, report.doubled, report.half, report.unknown) == (0, 0, 0, 0), report
    assert report.not_sent == 0 and report.unexpected == 0, report.failures
    assert report.recovery is not None and report.recovery < 5, report
