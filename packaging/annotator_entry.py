"""Entry script of the PyInstaller bundle: one script for both executables of the folder.

The bundle ships ``annotator`` (console, the CLI) and ``annotator-gui`` (windowed: no console window on
Windows, an .app on macOS). Both are built from this one script and one analysis, so the folder holds a
single copy of every library; the executable's own name decides which entry point runs, exactly as the
``[project.scripts]`` and ``[project.gui-scripts]`` of a pip install do.
"""

import os
import sys


def _entry() -> int:
    name = os.path.splitext(os.path.basename(sys.executable))[0].lower()
    if name.endswith("-gui"):
        from annotator.cli import gui_main

        return gui_main()
    from annotator.cli import main

    return main()


if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()  # the model trains in spawned processes (annotator/core/model_suggest)
    sys.exit(_entry())
