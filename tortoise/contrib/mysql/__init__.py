"""MySQL/MariaDB-only fields, indexes and functions."""
