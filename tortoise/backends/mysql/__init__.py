from tortoise.backends.mysql.client import MySQLClient

client_class = MySQLClient

__all__ = ["MySQLClient", "client_class"]
