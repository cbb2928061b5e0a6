"""PostgreSQL-only fields, indexes and functions."""
