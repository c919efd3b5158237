"""What the analyst tags with: document list, article, label bar, span list and details, suggestions."""
