"""Pieces every view uses: worker threads, table models, the live watcher, Qt workarounds."""
