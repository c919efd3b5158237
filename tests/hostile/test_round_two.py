"""Round two of the hostile inputs (issue #18), each in a fresh ``python -m annotator`` process under a
memory bound: a size, link, pipe, device, surrogate, forged-name, foreign-database, brat-digit, scheme,
name or remote-W3C case must end with one stderr line ``annotator: FILE[, line N]: reason`` and exit 1
(or be imported exactly), with no traceback, the database unchanged, nothing written outside it, peak
memory under 512 MB (``wait4``'s ``ru_maxrss`` of that very process) and within 60 s.

The process runs with ``RLIMIT_AS`` at 1.5 GB, so a reader that tries to hold a 3 GB file dies (and
fails the test) instead of swapping the CI machine; the 512 MB promise is checked on the measured peak.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.hostile.dbstate import snapshot
from tests.hostile.round_two_cases import Case, build

ADDRESS_LIMIT = 1536 * 1024 * 1024
PEAK_LIMIT_MB = 512
TIME_LIMIT_S = 60
REPO = Path(__file__).resolve().parents[2]
CLASSES = ("sizes", "links", "surrogates", "forged", "databases", "brat digits", "schemes", "names", "w3c links")


def _case_names() -> list[str]:
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        return [case.name for case in build(Path(scratch))]


CASE_NAMES = _case_names()
ROUND_TWO_CASES = len(CASE_NAMES)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Case]]:
    root = tmp_path_factory.mktemp("round2")
    return root, {case.name: case for case in build(root)}


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from annotator.cli import main
    from tests.hostile.make_cases import ARTICLE

    folder = tmp_path_factory.mktemp("template2")
    source = folder / "seed.txt"
    source.write_text("Seed. " + ARTICLE, encoding="utf-8")
    db = folder / "template.sqlite3"
    assert main(["--db", str(db), "import", str(source), "--quiet"]) == 0
    return db


def _limit() -> None:  # runs in the child before exec
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_LIMIT, ADDRESS_LIMIT))


def run_bounded(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, str, str, float]:
    """``python -m annotator ARGS`` under the address-space limit: (exit code, stdout, stderr, peak MB)."""
    out, err = cwd.parent / "stdout", cwd.parent / "stderr"
    with open(out, "wb") as o, open(err, "wb") as e:
        proc = subprocess.Popen([sys.executable, "-m", "annotator", *args], cwd=cwd, stdout=o, stderr=e,
                                stdin=subprocess.DEVNULL, env=env, preexec_fn=_limit)
        timer = threading.Timer(TIME_LIMIT_S, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
    peak_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
    text = lambda p: p.read_bytes().decode("utf-8", "backslashreplace")  # noqa: E731
    return proc.returncode, text(out), text(err), peak_mb


def _listing(root: Path) -> set[tuple[str, int]]:
    found = set()
    for folder, dirs, files in os.walk(root, followlinks=False):
        for name in dirs + files:
            path = Path(folder) / name
            size = path.lstat().st_size if path.is_file() and not path.is_symlink() else -1
            found.add((str(path.relative_to(root)), size))
    return found


def test_every_class_has_several_cases(corpus: tuple[Path, dict[str, Case]]) -> None:
    _, cases = corpus
    for cls in CLASSES:
        assert sum(case.cls == cls for case in cases.values()) >= 3, cls
    assert {case.cls for case in cases.values()} == set(CLASSES)


@pytest.mark.parametrize("name", CASE_NAMES)
def test_round_two(name: str, corpus: tuple[Path, dict[str, Case]], template_db: Path, tmp_path: Path) -> None:
    root, cases = corpus
    case = cases[name]
    work = tmp_path / "cwd"
    work.mkdir()
    db = tmp_path / "db" / "store.sqlite3"
    db.parent.mkdir()
    shutil.copyfile(template_db, db)
    before_db = snapshot(db)
    before_root = _listing(root)
    temp = tmp_path / "tmp"  # the child's TMPDIR: nothing may be left there either
    temp.mkdir()
    env = {**os.environ, "PYTHONPATH": str(REPO), "TMPDIR": str(temp)}
    dev_before = os.listdir("/dev")

    code, out, err, peak = run_bounded(case.args(root, db), work, env)

    assert "Traceback" not in err and "Traceback" not in out, err
    assert peak < PEAK_LIMIT_MB, f"peak memory {peak:.0f} MB"
    lines = [line for line in err.splitlines() if line.strip() and not line.startswith(("note: ", "skipped: "))]
    assert code == case.code, (code, out, err)
    if case.code == 1:
        assert len(err.strip().splitlines()) == 1, err
        assert lines[0].startswith("annotator: "), err
        assert case.reason.casefold() in lines[0].casefold(), lines[0]
        if case.names is not None:
            assert case.names in lines[0], lines[0]
    else:
        assert lines == [], err
        if case.docs is not None:
            assert len(snapshot(db)["documents"]) - len(before_db["documents"]) == case.docs
    if case.db_unchanged and case.code == 1:
        assert snapshot(db) == before_db
    if case.check is not None:
        case.check(root, db)
    assert _listing(root) == before_root  # nothing written beside the inputs (no journal, no stray folder)
    assert list(work.iterdir()) == [] and list(temp.iterdir()) == []
    assert sorted(p.name for p in db.parent.iterdir()) <= ["store.sqlite3", "store.sqlite3-shm", "store.sqlite3-wal"]
    assert os.listdir("/dev") == dev_before
