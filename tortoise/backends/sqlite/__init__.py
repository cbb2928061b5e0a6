from tortoise.backends.sqlite.client import SqliteClient

client_class = SqliteClient

__all__ = ["SqliteClient", "client_class"]
