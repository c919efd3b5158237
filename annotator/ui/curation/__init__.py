"""The curation window: analysts' versions side by side, and the gold layer built from them."""
