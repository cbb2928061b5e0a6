"""The compat/ distributions let libraries that require tortoise-orm run on Aldabra."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.compat_dists.venvs import REPO, Venv
from tests.conftest import TEST_DB

APPS = Path(__file__).parent / "apps"
pytestmark = pytest.mark.venv


def run_app(venv: Venv, name: str, db_url: str) -> dict:
    return json.loads(venv.run(APPS / name, db_url).strip().splitlines()[-1])


def test_pip_keeps_aldabra_when_a_library_requires_tortoise_orm(compat_venv: Venv):
    installed = compat_venv.distributions()
    assert installed["tortoise-orm"] == "1.1.9+aldabra"
    assert installed["aerich"] == "0.10.1+aldabra"
    assert "aldabra" in installed and "fastapi-pagination" in installed
    # the compat distributions own no files but their metadata
    files = compat_venv.run(APPS / "dist_files.py", "tortoise-orm", "aerich")
    assert json.loads(files) == {"tortoise-orm": [], "aerich": []}


def test_fastapi_pagination_paginates_an_aldabra_model(compat_venv: Venv, db_url: str):
    found = run_app(compat_venv, "pagination_app.py", db_url)
    assert found["tortoise_dists"] == ["aldabra"]
    assert found["tortoise_orm_version"] == "1.1.9+aldabra"
    assert Path(found["tortoise_file"]).is_relative_to(compat_venv.path)
    page = found["page"]
    assert (page["total"], page["page"], page["size"], page["pages"]) == (25, 3, 10, 3)
    assert [item["title"] for item in page["items"]] == [f"Book {i}" for i in range(21, 26)]
    assert {item["author_id"] for item in page["items"]} == {1}
    assert found["everything_total"] == 26


# What each step of apps/otel_probe.py runs: one span per statement, named by its verb,
# with the statement as an attribute (table names are what the statement must mention).
EXPECTED_SPANS = {
    "create": [("INSERT", "note")],
    "get": [("SELECT", "note")],
    "filter_list": [("SELECT", "note")],
    "count": [("SELECT", "note")],
    "exists": [("SELECT", "note")],
    "values": [("SELECT", "note")],
    "update": [("UPDATE", "note")],
    "bulk_create": [("INSERT", "tag")],
    "save": [("UPDATE", "note")],
    "m2m_add": [("SELECT", "note_tag"), ("INSERT", "note_tag")],
    "prefetch": [("SELECT", "note"), ("SELECT", "note_tag"), ("SELECT", "tag")],
    "transaction": [("INSERT", "note"), ("SELECT", "note")],
    "raw_query_dict": [("SELECT", "note")],
    "raw_query": [("SELECT", "tag")],
    "delete": [("DELETE", "note")],
}
DB_SYSTEM = {"sqlite": "sqlite", "postgres": "postgresql", "mysql": "mysql"}


def test_opentelemetry_traces_every_query(compat_venv: Venv, db_url: str):
    if not (REPO / "tortoise" / "contrib" / "pydantic" / "base.py").exists():
        # the instrumentation imports tortoise.contrib.pydantic.base when it loads
        pytest.skip("needs tortoise.contrib.pydantic.base (issue 9 item 4, branch pydantic)")
    report = run_app(compat_venv, "otel_probe.py", db_url)
    assert report["instrumented"], "the instrumentor did not activate (tortoise-orm distribution not seen?)"
    steps = report["steps"]
    schema = steps.pop("generate_schemas")
    assert schema and all(s["name"] == "CREATE" for s in schema)
    script = "\n".join(s["statement"] for s in schema)
    assert all(f"CREATE TABLE IF NOT EXISTS {q}{t}{q}" in script for t in ("note", "tag", "note_tag") for q in ["`" if TEST_DB == "mysql" else '"'])
    assert steps.keys() == EXPECTED_SPANS.keys()
    for step, expected in EXPECTED_SPANS.items():
        spans = steps[step]
        assert [s["name"] for s in spans] == [verb for verb, _ in expected], (step, spans)
        for span, (_, table) in zip(spans, expected):
            assert table in span["statement"], (step, span)
            assert span["system"] == DB_SYSTEM[TEST_DB], (step, span)
