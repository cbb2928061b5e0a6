"""The ``tortoise`` console script (Tortoise 1.x's native migrations CLI)."""
