"""The agreement window: figures, heat maps and disagreements between analysts."""
