"""Tests that install Aldabra into fresh virtualenvs beside real libraries built for Tortoise.

They need no ORM in this process: the apps run in the virtualenvs, on a fresh database of
the run's ALDABRA_TEST_DB.  Each venv is built once per test session (marker ``venv``;
deselect with ``-m "not venv"`` while iterating on something else).
"""
from __future__ import annotations

import sys

import pytest

from tests.conftest import TEST_DB, fresh_db_url
from tests.compat_dists.venvs import Venv, build_wheels

# Third-party libraries that declare a dependency on tortoise-orm.
LIBRARIES = (
    "fastapi-pagination[tortoise]>=0.12,<1",
    "opentelemetry-instrumentation-tortoiseorm>=0.48b0,<1",
    "opentelemetry-sdk>=1.27,<2",
    "httpx>=0.27,<1",
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "venv: builds a virtualenv under a tmp dir (pip cache or PyPI)")


# Each of these builds virtualenvs, so they run once per database server, not per driver.
DATABASES = ("sqlite", "postgres", "mysql")


@pytest.fixture(autouse=True)
def _db_for_each_test():
    """Overrides the suite's autouse fixture: nothing here uses the main ORM."""
    if TEST_DB not in DATABASES:
        pytest.skip(f"runs on {', '.join(DATABASES)} (the {TEST_DB} run shares a server with one of them)")


@pytest.fixture(scope="session")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """{"aldabra": path, "tortoise-orm": path, "aerich": path} of freshly built wheels."""
    built = build_wheels(tmp_path_factory.mktemp("wheels"))
    return {w.name.split("-")[0].replace("_", "-"): str(w) for w in built}


@pytest.fixture(scope="session")
def compat_venv(tmp_path_factory: pytest.TempPathFactory, wheels: dict[str, str]) -> Venv:
    """Python of this run + Aldabra + both compat distributions, then the libraries
    installed in a second step, as a user adds a library to an existing environment."""
    venv = Venv(tmp_path_factory.mktemp("compat") / "venv", sys.executable)
    venv.install(f"{wheels['aldabra']}[asyncpg,mysql]", wheels["tortoise-orm"], wheels["aerich"])
    venv.install(*LIBRARIES)
    return venv


@pytest.fixture
def db_url() -> str:
    """A fresh database of this run's kind, created and dropped by the app in the venv."""
    return fresh_db_url()



@pytest.fixture(scope="session")
def python312() -> str:
    """A Python >= 3.12; a machine without one fails these tests (it does not skip them)."""
    from tests.compat_dists.python312 import find_python312

    return find_python312()


@pytest.fixture(scope="session")
def unfazed_venv(tmp_path_factory: pytest.TempPathFactory, wheels: dict[str, str], python312: str) -> Venv:
    """Python >= 3.12 + Aldabra + both compat distributions, then the real Unfazed."""
    venv = Venv(tmp_path_factory.mktemp("unfazed") / "venv", python312)
    venv.install(f"{wheels['aldabra']}[asyncpg,mysql]", wheels["tortoise-orm"], wheels["aerich"])
    # Unfazed imports `packaging` without declaring it (real tortoise-orm does not bring it either)
    venv.install("unfazed>=0.0.25,<0.1", "packaging")
    return venv
