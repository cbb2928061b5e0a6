"""Tortoise 1.x's home of migration state objects (``State``, ``StateApps``), over the engine's state."""
