"""Seed 002's settings for this project; the database comes from the environment.

ALDABRA_UNFAZED_DB is a JSON object {"ENGINE": ..., "CREDENTIALS": {...}} (the test picks
the database).  The current Unfazed release spells credential keys in upper case
(FILE_PATH, HOST, ...).  Without "APPS", Unfazed lists every installed app's models
module plus "aerich.models" (for its migration commands).
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
    },
}
