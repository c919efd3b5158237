"""annotator: source-grounded tagging of news articles."""

__version__ = "0.1.0"
