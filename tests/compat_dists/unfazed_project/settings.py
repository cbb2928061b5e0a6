"""Seed 002's settings for this project; the database comes from the environment.

ALDABRA_UNFAZED_DB is a JSON object {"ENGINE": ..., "CREDENTIALS": {...}} (the test picks
SQLite or PostgreSQL).  The current Unfazed release spells credential keys in upper case
(FILE_PATH, HOST, ...).
"""
import json
import os

UNFAZED_SETTINGS = {
    "DEBUG": True,
    "PROJECT_NAME": "aldabra-unfazed",
    "ROOT_URLCONF": "entry.routes",
    "INSTALLED_APPS": [
        "myapp.users",
        "myapp.orders",
        "myapp.products",
    ],
    "DATABASE": {
        "CONNECTIONS": {"default": json.loads(os.environ["ALDABRA_UNFAZED_DB"])},
        "APPS": {
            "models": {
                "MODELS": ["myapp.users.models", "myapp.orders.models", "myapp.products.models"],
                "DEFAULT_CONNECTION": "default",
            }
        },
    },
}
