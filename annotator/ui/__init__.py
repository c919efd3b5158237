"""The desktop app (PySide6). Imports store and core; nothing below it imports Qt."""
