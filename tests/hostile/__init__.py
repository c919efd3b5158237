"""Hostile inputs for the reliability tests: a generator of bad files and helpers to compare databases."""
