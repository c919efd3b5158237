"""Dialogs opened from the menus: tag scheme, export, keyboard shortcuts."""
