from tortoise.backends.psycopg.client import PsycopgClient

client_class = PsycopgClient

__all__ = ["PsycopgClient", "client_class"]
