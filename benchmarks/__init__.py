"""Aldabra benchmarks: the ORM against the raw driver doing the same SQL.

Run ``python -m benchmarks.run --help``; see benchmarks/README.md.
"""
