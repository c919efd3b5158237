"""The session model and the operations that change data (one undo step and one ``Changes`` each)."""
