"""TEST=2 of the orm-benchmarks workload (see journal_models/__init__.py)."""
try:
    from benchmarks.journal_models import build
except ImportError:  # script mode
    from journal_models import build  # type: ignore[no-redef]

Journal = build(2, __name__)
