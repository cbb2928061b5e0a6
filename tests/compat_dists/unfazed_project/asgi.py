"""The project's ASGI application; `unfazed-cli` run in this directory loads it from here."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("UNFAZED_SETTINGS_MODULE", "settings")

from unfazed.core import Unfazed  # noqa: E402

application = Unfazed(silent=True)
