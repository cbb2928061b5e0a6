"""Run inside the compat virtualenv: fastapi-pagination's Tortoise extension on Aldabra.

Usage: python pagination_app.py DB_URL.  Prints one JSON line of findings for the test.
"""
import asyncio
import json
import sys
from importlib.metadata import packages_distributions, version

import httpx
from fastapi import FastAPI
from fastapi_pagination import Page, add_pagination
from fastapi_pagination.ext.tortoise import apaginate
from pydantic import BaseModel, ConfigDict

from tortoise import Tortoise, fields
from tortoise.models import Model


class Author(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=50)


class Book(Model):
    id = fields.IntField(primary_key=True)
    title = fields.CharField(max_length=100)
    author = fields.ForeignKeyField("models.Author", related_name="books")


class BookOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    title: str
    author_id: int


app = FastAPI()


@app.get("/books")
async def list_books() -> Page[BookOut]:
    return await apaginate(Book.filter(title__startswith="Book").order_by("id"))


@app.get("/all-books")
async def author_books() -> Page[BookOut]:
    # a model class (not a queryset) and prefetch_related=True: the extension's other branches
    return await apaginate(Book, prefetch_related=True)


add_pagination(app)


async def main(db_url: str) -> dict:
    await Tortoise.init(db_url=db_url, modules={"models": ["__main__"]}, _create_db=True)
    try:
        await Tortoise.generate_schemas()
        author = await Author.create(name="Ursula")
        await Book.bulk_create([Book(title=f"Book {i:02}", author=author) for i in range(1, 26)])
        await Book.create(title="Other", author=author)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
            page = (await client.get("/books", params={"page": 3, "size": 10})).json()
            everything = (await client.get("/all-books", params={"size": 100})).json()
    finally:
        await Tortoise._drop_databases()
    import tortoise

    return {
        "tortoise_file": tortoise.__file__,
        "tortoise_dists": packages_distributions().get("tortoise"),
        "tortoise_orm_version": version("tortoise-orm"),
        "page": page,
        "everything_total": everything["total"],
    }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(sys.argv[1]))))
