"""Split an SQL script into statements at semicolons outside quotes, comments and
PostgreSQL dollar-quoted bodies; statements holding only comments are left out."""
from __future__ import annotations

import re

QUOTES = "'\"`"
DOLLAR = re.compile(r"\$[A-Za-z_]*\$")


def split_statements(script: str, backslash_escapes: bool = False) -> list[str]:
    """``backslash_escapes``: a backslash escapes the next character in '…' (MySQL)."""
    statements: list[str] = []
    start, i, n = 0, 0, len(script)

    def close(end: int) -> None:
        statement = script[start:end].strip()
        if _has_code(statement):
            statements.append(statement)

    while i < n:
        ch = script[i]
        if ch in QUOTES:
            i = _skip_quoted(script, i, ch, backslash_escapes)
        elif script.startswith("--", i):
            end = script.find("\n", i)
            i = n if end == -1 else end
        elif script.startswith("/*", i):
            end = script.find("*/", i + 2)
            i = n if end == -1 else end + 2
        elif ch == "$" and (tag := DOLLAR.match(script, i)):
            end = script.find(tag.group(0), tag.end())
            i = n if end == -1 else end + len(tag.group(0))
        elif ch == ";":
            close(i)
            start = i = i + 1
        else:
            i += 1
    close(n)
    return statements


def _skip_quoted(script: str, i: int, quote: str, backslash_escapes: bool) -> int:
    """Index after the quoted text starting at ``i`` (a doubled quote is one quote)."""
    i += 1
    while i < len(script):
        ch = script[i]
        if ch == "\\" and quote == "'" and backslash_escapes:
            i += 2
            continue
        if ch == quote:
            if script.startswith(quote * 2, i):
                i += 2
                continue
            return i + 1
        i += 1
    return i


def _has_code(statement: str) -> bool:
    without = re.sub(r"--[^\n]*|/\*.*?\*/", "", statement, flags=re.DOTALL)
    return bool(without.strip())
