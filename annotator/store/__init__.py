"""The store: SQLAlchemy models, repository functions and migrations.

Only this package knows about SQL dialects. Repository functions take a Session and never create one:
the caller (a CLI command, a UI operation) owns the transaction, so one user action is one commit.
"""
