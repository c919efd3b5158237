"""The app shell: starting Qt, the main window's layout and menus, first-run samples."""
