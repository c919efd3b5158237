"""The core: text, offsets, tag scheme, span model, formats and agreement maths.

Never imports Qt or SQLAlchemy (enforced by tests/core/test_layering.py), so it can be used in scripts,
workers and tests without a GUI or a database.
"""
