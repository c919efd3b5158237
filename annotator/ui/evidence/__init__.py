"""The evidence window: every tagged passage of the corpus as a concordance, its claims and charts."""
