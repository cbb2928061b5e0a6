"""Colours of the messages the CLI prints (Aerich's names)."""
from enum import Enum


class Color(str, Enum):
    green = "green"
    red = "red"
    yellow = "yellow"
