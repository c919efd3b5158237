"""Two curators assigning at once never double-assign a document, on SQLite and on PostgreSQL.

Both runs start together (a barrier) on their own connections; without the run lock in
``store/assignments.py`` PostgreSQL's READ COMMITTED lets both read the same unassigned documents and both
give them away. With it, one run takes every document and the other finds none left.
"""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from annotator.store import repository as repo
from annotator.store.assignments import assign, list_assignments
from annotator.store.database import open_store
from annotator.store.models import Assignment
from tests.team.test_assignments import _fill


def test_two_curators_assigning_at_once_never_double_assign(any_store_url: str) -> None:
    setup = open_store(any_store_url)
    _fill(setup, 60)
    with setup.write() as session:
        repo.set_role(session, "cara", "curator")
    setup.close()
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(actor: str, names: list[str]) -> None:
        store = open_store(any_store_url)
        try:
            barrier.wait()
            with store.write() as session:
                assign(session, actor, names, overlap=0.5, seed=3)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            store.close()

    threads = [threading.Thread(target=run, args=("lead", ["a", "b"])),
               threading.Thread(target=run, args=("cara", ["c", "d"]))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    check = open_store(any_store_url)
    try:
        with check.session() as session:
            listed = list_assignments(session)
            total = session.scalar(select(func.count(Assignment.id)))
    finally:
        check.close()
    assert len(listed) == 60 and total == 90  # 30 single + 30 with two analysts: one run took everything
    groups = {tuple(group) for _doc_id, group in listed}
    assert all(set(g) <= {"a", "b"} for g in groups) or all(set(g) <= {"c", "d"} for g in groups)
