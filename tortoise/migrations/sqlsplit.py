"""Split an SQL script into statements at semicolons outside quotes and comments."""
from __future__ import annotations

QUOTES = "'\"`"


def split_statements(script: str) -> list[str]:
    statements: list[str] = []
    current: list[str] = []
    quote = ""
    i, n = 0, len(script)
    while i < n:
        ch = script[i]
        if quote:
            current.append(ch)
            if ch == "\\" and quote == "'" and i + 1 < n:
                current.append(script[i + 1])
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in QUOTES:
            quote = ch
            current.append(ch)
        elif script.startswith("--", i):
            end = script.find("\n", i)
            end = n if end == -1 else end
            current.append(script[i:end])
            i = end - 1
        elif ch == ";":
            statement = "".join(current).strip()
            if statement:
                statements.append(statement)
            current = []
        else:
            current.append(ch)
        i += 1
    tail = "".join(current).strip()
    if tail:
        statements.append(tail)
    return statements
