"""A models module that only re-exports a model defined elsewhere (like app/models/__init__.py)."""
from tests.config_models import Widget

__all__ = ["Widget"]
