"""Database clients, one package per driver."""
