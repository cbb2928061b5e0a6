"""The A-K suite's tables: per-operation speed vs the raw driver, the geometric mean, and
the general-path shapes next to the fast-path operation that returns the same rows.

Ratios here are *speeds* (the issue's convention): Aldabra rows/s divided by the driver's
rows/s, so 1.00x is as fast as the raw driver and 0.50x half as fast.
"""
from __future__ import annotations

import math
import sys
from typing import Any

from benchmarks import journal as J
from benchmarks.run import PRIMARY_RAW, DbReport, _fmt_rate, _fmt_ratio, _ratio, print_grid, print_heading, print_tail


#: issue 7's targets: geometric mean over A-K per database, the floor for every
#: operation, and how far a general shape may fall behind its fast-path operation
GEOMEAN_TARGET = {"sqlite": 1.0, "postgres": 0.85, "mysql": 0.85}
OP_FLOOR = 0.6
GENERAL_WITHIN = 1.3


def _speed(rep: DbReport, side: str, op: str, against: str) -> float | None:
    """``side``'s rows/s over ``against``'s for ``op`` (None when either is missing)."""
    return _ratio(rep.results.get(against, {}).get(op), rep.results.get(side, {}).get(op))


def speed_ratios(rep: DbReport) -> dict[str, float]:
    """A-K operations measured on both sides: Aldabra's speed vs the primary raw driver."""
    primary = PRIMARY_RAW[rep.db]
    out = {}
    for op in J.OP_KEYS:
        r = _speed(rep, "aldabra", op, primary)
        if r is not None:
            out[op] = r
    return out


def slow_ops(rep: DbReport) -> list[str]:
    """Operations below the database's geometric-mean target (``--profile slow``)."""
    return [op for op, r in speed_ratios(rep).items() if r < GEOMEAN_TARGET[rep.db]]


def geomean(values: list[float]) -> float | None:
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def _row_check(rep: DbReport, op: str, primary: str) -> str:
    ald, raw = rep.results.get("aldabra", {}).get(op), rep.results.get(primary, {}).get(op)
    if ald and raw and not ald.error and not raw.error and ald.rows != raw.rows:
        return f"rows {ald.rows}!={raw.rows}"
    return ""


def print_ak_table(rep: DbReport, ops: list[str], out: Any = sys.stdout) -> None:
    p = rep.plan
    if not print_heading(rep, f"A-K suite, TEST={p.test}, iterations={p.iterations}, {p.concurrency} tasks / "
                              f"pool of {p.concurrency}, best of {p.reps}..{p.max_reps} interleaved rounds, warmup={p.warmup}",
                         out):
        return
    primary = PRIMARY_RAW[rep.db]
    others = [lbl for lbl in rep.raw_labels if lbl != primary]
    tortoise = "tortoise" in rep.results
    head = ["op", "what", "rows"] + [f"{lbl}/s" for lbl in rep.raw_labels] + ["aldabra/s", f"x {primary}"]
    head += [f"x {lbl}" for lbl in others]
    if tortoise:
        head += ["tortoise/s", f"tortoise x {primary}", "aldabra/tortoise"]
    head += ["check"]

    def row(op: str) -> list[str]:
        ald = rep.results.get("aldabra", {}).get(op)
        raws = [rep.results.get(lbl, {}).get(op) for lbl in rep.raw_labels]
        n = next((m.rows for m in raws if m and not m.error), 0)
        cells = [op, J.OP_DESC[op], f"{n:,}"] + [_fmt_rate(m) for m in raws]
        cells += [_fmt_rate(ald), _fmt_ratio(_speed(rep, "aldabra", op, primary))]
        cells += [_fmt_ratio(_speed(rep, "aldabra", op, lbl)) for lbl in others]
        if tortoise:
            cells += [_fmt_rate(rep.results["tortoise"].get(op)), _fmt_ratio(_speed(rep, "tortoise", op, primary)),
                      _fmt_ratio(_speed(rep, "aldabra", op, "tortoise"))]
        return cells + [_row_check(rep, op, primary)]

    fast = [op for op in ops if op in J.OP_KEYS]
    print_grid(head, [row(op) for op in fast], out, left=2)
    ratios = speed_ratios(rep)
    gm = geomean(list(ratios.values()))
    if gm is not None:
        target = GEOMEAN_TARGET[rep.db]
        below = [f"{op} {r:.2f}x" for op, r in sorted(ratios.items(), key=lambda kv: kv[1]) if r < OP_FLOOR]
        print(f"   geometric mean over {len(ratios)} operations: {gm:.2f}x {primary} "
              f"({'ok' if gm >= target else 'MISSED'}: target >= {target:.2f}x); "
              f"below {OP_FLOOR:.2f}x: {', '.join(below) or 'none'}", file=out)
    if tortoise:
        t_ratios = [r for r in (_speed(rep, "aldabra", op, "tortoise") for op in fast) if r is not None]
        if t_ratios:
            print(f"   geometric mean aldabra/tortoise: {geomean(t_ratios):.2f}x", file=out)

    general = [op for op in ops if op in J.GENERAL_KEYS]
    if general:
        print(f"\n   general-path shapes (same rows as the fast-path op; 'general/fast' near 1.00 = no extra "
              f"cost; target >= {1 / GENERAL_WITHIN:.2f})", file=out)
        ghead = ["shape", "what", "rows", f"{primary}/s", "aldabra/s", f"x {primary}", "fast op",
                 f"fast x {primary}", "general/fast", "check"]
        grows = []
        for op in general:
            mine, same = _speed(rep, "aldabra", op, primary), J.SAME_ROWS[op]
            theirs = _speed(rep, "aldabra", same, primary)
            rel = mine / theirs if mine is not None and theirs else None
            raw = rep.results.get(primary, {}).get(op)
            grows.append([op, J.OP_DESC[op], f"{raw.rows:,}" if raw else "-", _fmt_rate(raw),
                          _fmt_rate(rep.results.get("aldabra", {}).get(op)), _fmt_ratio(mine), same,
                          _fmt_ratio(theirs), _fmt_ratio(rel), _row_check(rep, op, primary)])
        print_grid(ghead, grows, out, left=2)
    print_tail(rep, [], out)


def print_ak_summary(reports: list[DbReport], ops: list[str], out: Any = sys.stdout) -> None:
    """One line per operation, one column per database: Aldabra's speed vs the raw driver."""
    measured = [rep for rep in reports if not rep.skipped and rep.results.get("aldabra")]
    if len(measured) < 2:
        return
    head = ["op", "what"] + [f"x {PRIMARY_RAW[rep.db]}" for rep in measured]
    rows = [[op, J.OP_DESC[op]] + [_fmt_ratio(_speed(rep, "aldabra", op, PRIMARY_RAW[rep.db])) for rep in measured]
            for op in ops]
    means = [geomean(list(speed_ratios(rep).values())) for rep in measured]
    rows.append(["", "geometric mean A-K"] + [_fmt_ratio(m) for m in means])
    rows.append(["", "target"] + [f">={GEOMEAN_TARGET[rep.db]:.2f}x" for rep in measured])
    print("\n== Summary: Aldabra rows/s / raw driver rows/s ==", file=out)
    print_grid(head, rows, out, left=2)
