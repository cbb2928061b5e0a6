"""Run inside the compat virtualenv: OpenTelemetry's Tortoise instrumentation on Aldabra.

Usage: python otel_probe.py DB_URL.  Runs a list of ORM operations and prints one JSON
line: whether the instrumentor activated, and the spans each operation produced.
"""
import asyncio
import json
import sys

from opentelemetry.instrumentation.tortoiseorm import TortoiseORMInstrumentor
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from tortoise import Tortoise, fields
from tortoise.models import Model
from tortoise.transactions import in_transaction


class Tag(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=30)


class Note(Model):
    id = fields.IntField(primary_key=True)
    text = fields.CharField(max_length=100)
    tags = fields.ManyToManyField("models.Tag", related_name="notes")


def span_view(span) -> dict:
    attrs = dict(span.attributes or {})
    return {
        "name": span.name,
        "statement": attrs.get("db.statement") or attrs.get("db.query.text"),
        "system": attrs.get("db.system") or attrs.get("db.system.name"),
    }


async def main(db_url: str) -> dict:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    instrumentor = TortoiseORMInstrumentor()
    instrumentor.instrument(tracer_provider=provider)
    report = {"instrumented": instrumentor.is_instrumented_by_opentelemetry, "steps": {}}

    async def step(name, operation):
        exporter.clear()
        await operation()
        report["steps"][name] = [span_view(s) for s in exporter.get_finished_spans()]

    await Tortoise.init(db_url=db_url, modules={"models": ["__main__"]}, _create_db=True)
    try:
        await step("generate_schemas", Tortoise.generate_schemas)
        await step("create", lambda: Note.create(text="first"))
        await step("get", lambda: Note.get(text="first"))
        await step("filter_list", lambda: Note.filter(text__startswith="f").order_by("id"))
        await step("count", lambda: Note.all().count())
        await step("exists", lambda: Note.filter(text="nope").exists())
        await step("values", lambda: Note.all().values("id", "text"))
        await step("update", lambda: Note.filter(text="first").update(text="changed"))
        await step("bulk_create", lambda: Tag.bulk_create([Tag(name=n) for n in ("a", "b", "c")]))

        async def save_changed():
            note = await Note.get(text="changed")
            exporter.clear()  # only the save
            note.text = "saved"
            await note.save()

        await step("save", save_changed)

        async def m2m_add():
            note, tags = await Note.get(text="saved"), await Tag.all()
            exporter.clear()
            await note.tags.add(*tags)

        await step("m2m_add", m2m_add)
        await step("prefetch", lambda: Note.all().prefetch_related("tags"))

        async def in_tx():
            async with in_transaction():
                await Note.create(text="in tx")
                await Note.filter(text="in tx").count()

        await step("transaction", in_tx)
        conn = Tortoise.get_connection("default")
        await step("raw_query_dict", lambda: conn.execute_query_dict("SELECT COUNT(*) AS n FROM note"))
        await step("raw_query", lambda: conn.execute_query("SELECT COUNT(*) AS n FROM tag"))
        await step("delete", lambda: Note.filter(text="in tx").delete())
    finally:
        await Tortoise._drop_databases()
    return report


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(sys.argv[1]))))
