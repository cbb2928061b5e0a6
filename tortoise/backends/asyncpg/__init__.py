from tortoise.backends.asyncpg.client import AsyncpgDBClient

client_class = AsyncpgDBClient

__all__ = ["AsyncpgDBClient", "client_class"]
