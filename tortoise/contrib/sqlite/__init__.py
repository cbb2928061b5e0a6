"""SQLite-only functions."""
