"""Placeholder for the PostgreSQL server fixture (team mode); see tests/pg_server.py history."""
