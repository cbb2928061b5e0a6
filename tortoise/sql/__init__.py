"""SQL generation: query description nodes, the compiler, dialects and DDL."""
