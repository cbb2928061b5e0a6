"""Model modules declaring indexes, one per dialect family (imported by the index tests only)."""
