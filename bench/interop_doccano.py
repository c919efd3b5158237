"""Check our doccano export/import against a running doccano server (not run in CI).

Why: ``annotator/core/formats/doccano.py`` was written from doccano's documentation; this script makes
the real application take our files and give them back. doccano keeps no quote, so the unit of its
offsets is everything. What it does:

a. writes our test articles (the same as ``interop_label_studio.py``: emoji and other astral characters,
   combining marks, CRLF, Cyrillic, Korean, overlapping spans) with our ``doccano`` writer (code points)
   and our ``doccano-utf16`` writer, uploads each into a new sequence-labelling project (overlapping
   allowed), exports the project as JSONL and reads the export with our reader: every span must come
   back where it was;
b. optionally (``--browser /usr/bin/chromium``, needs ``playwright``) imports the plain texts into two more
   projects, one with doccano's "grapheme mode" off (its default) and one with it on, selects words
   after the emoji in doccano's editor as a person would, picks a label, exports, and prints the offsets
   doccano stored next to the code-point, UTF-16 and grapheme-cluster offsets of the same words.

Setup (outside the repo, e.g. 2026-11-24 with doccano 1.8.4; it needed ``marshmallow<4`` and
``numpy<2`` pinned by hand in its venv to start)::

    python -m venv /tmp/dc-venv && /tmp/dc-venv/bin/pip install doccano "marshmallow<4" "numpy<2"
    doccano init && doccano createuser --username admin --password ...
    doccano webserver --port 8090 &   doccano task &

Then, from the repository root::

    python bench/interop_doccano.py --url http://localhost:8090 --username admin --password ... \\
        [--save DIR] [--browser /usr/bin/chromium]

Exit status 0 when every check passed, 1 otherwise. Each run creates new projects.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
import zipfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from interop_label_studio import ARTICLES, build_items  # noqa: E402

from annotator.core.formats import ReadContext, get_format  # noqa: E402
from annotator.core.model import AnnotatedDocument  # noqa: E402
from annotator.core.offsets import Utf16Map  # noqa: E402
from annotator.core.scheme import default_scheme  # noqa: E402


class Client:
    """doccano's REST API (v1), standard library only."""

    def __init__(self, url: str, username: str, password: str) -> None:
        self.url = url.rstrip("/")
        self.headers: dict[str, str] = {}
        key = self.call("POST", "/v1/auth/login/", {"username": username, "password": password})["key"]
        self.headers = {"Authorization": f"Token {key}"}

    def call(self, method: str, path: str, body: Any = None, raw: bytes | None = None,
             content_type: str = "application/json") -> Any:
        data = raw if raw is not None else (json.dumps(body, ensure_ascii=False).encode("utf-8") if body is not None else None)
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": content_type, **self.headers})
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                payload = response.read()
                kind = response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            raise SystemExit(f"{method} {path}: HTTP {exc.code}: {exc.read().decode('utf-8', 'replace')[:800]}") from None
        if "json" in kind:
            return json.loads(payload) if payload else None
        return payload

    def wait(self, task_id: str) -> Any:
        for _ in range(240):
            status = self.call("GET", f"/v1/tasks/status/{task_id}")
            if status.get("ready"):
                return status
            time.sleep(0.5)
        raise SystemExit(f"doccano task {task_id} did not finish (is `doccano task` running?)")

    def project(self, name: str, grapheme_mode: bool = False) -> int:
        project = self.call("POST", "/v1/projects", {
            "name": name, "description": "annotator interop check", "guideline": "",
            "project_type": "SequenceLabeling", "resourcetype": "SequenceLabelingProject",
            "allow_overlapping": True, "grapheme_mode": grapheme_mode, "use_relation": False})
        for label in default_scheme().labels:
            self.call("POST", f"/v1/projects/{project['id']}/span-types",
                      {"text": label.key, "background_color": label.color, "text_color": "#000000"})
        return project["id"]

    def upload(self, pid: int, path: Path) -> Any:
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"filepond\"; filename=\"{path.name}\"\r\n"
                f"Content-Type: application/octet-stream\r\n\r\n").encode() + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
        upload_id = self.call("POST", "/v1/fp/process/", raw=body, content_type=f"multipart/form-data; boundary={boundary}")
        upload_id = upload_id.decode() if isinstance(upload_id, bytes) else upload_id
        task = self.call("POST", f"/v1/projects/{pid}/upload", {
            "format": "JSONL", "task": "SequenceLabeling", "uploadIds": [upload_id], "column_data": "text",
            "column_label": "label", "delimiter": "", "encoding": "utf_8"})
        return self.wait(task["task_id"])

    def export(self, pid: int) -> list[dict[str, Any]]:
        task = self.call("POST", f"/v1/projects/{pid}/download", {"format": "JSONL", "exportApproved": False})
        self.wait(task["task_id"])
        payload = self.call("GET", f"/v1/projects/{pid}/download?taskId={task['task_id']}")
        records = []
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:
            for name in archive.namelist():
                for line in archive.read(name).decode("utf-8").splitlines():
                    if line.strip():
                        records.append(json.loads(line))
        return records


def read_back(records: list[dict[str, Any]], save: Path | None, name: str) -> tuple[list[AnnotatedDocument], ReadContext]:
    folder = save or Path(tempfile.mkdtemp(prefix="dc-interop-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    ctx = ReadContext(str(path))
    docs = []
    for item in get_format("doccano").read(path, ctx):
        if isinstance(item, AnnotatedDocument):
            docs.append(item)
        else:
            print(f"  ERROR {item}")
    return docs, ctx


def check_files(client: Client, save: Path | None) -> bool:
    """(a): our two doccano exports through doccano's import and export."""
    ok = True
    items = build_items()
    for item in items:
        item.layers[:] = [lay for lay in item.layers if lay.annotator == "analyst-a"]
    expected = {(i.document.text, s.start, s.end, s.label) for i in items for lay in i.layers for s in lay.spans}
    for fmt in ("doccano", "doccano-utf16"):
        pid = client.project(f"annotator {fmt} {time.strftime('%H%M%S')}")
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / f"{fmt}.jsonl"
            get_format(fmt).write(items, out, default_scheme())
            status = client.upload(pid, out)
        errors = (status.get("result") or {}).get("error") if isinstance(status.get("result"), dict) else None
        records = client.export(pid)
        stored = {r["text"]: r.get("label") for r in records}
        print(f"(a) {fmt}: project {pid}, import errors {errors or 'none'}; stored offsets "
              f"{ {k[:12]: v for k, v in stored.items()} }")
        docs, ctx = read_back(records, save, f"doccano_export_of_{fmt.replace('-', '_')}.jsonl")
        for note in ctx.notices:
            print(f"  notice: {note}")
        got = {(d.document.text, s.start, s.end, s.label) for d in docs for lay in d.layers for s in lay.spans}
        same = got == expected
        ok &= same
        print(f"  read back: {'identical' if same else 'DIFFERENT'} ({len(expected)} spans)"
              + ("" if same else f"; missing {sorted(expected - got)[:4]} extra {sorted(got - expected)[:4]}"))
    return ok


def grapheme_offset(text: str, cp: int) -> int:
    """Grapheme clusters before code point ``cp``, by the same rules as doccano's splitter for our texts
    (a base character with its combining marks, ZWJ sequences, variation selectors and skin tones)."""
    import unicodedata

    count, i = 0, 0
    while i < cp:
        count += 1
        i += 1
        while i < len(text) and (unicodedata.category(text[i]) in ("Mn", "Me") or text[i] in "\u200d\ufe0f"
                                 or 0x1F3FB <= ord(text[i]) <= 0x1F3FF or (i > 0 and text[i - 1] == "\u200d")
                                 or (text[i] == "\n" and text[i - 1] == "\r")):
            i += 1
    return count


def check_browser(args: argparse.Namespace, client: Client, save: Path | None) -> bool:
    """(b): select words in doccano's own editor, with grapheme mode off and on, and see what it stored."""
    from playwright.sync_api import sync_playwright

    targets = {"ls-emoji-crlf": ["welder", "Managers", "went"], "ls-cyrillic-korean": ["owner", "watched"]}
    ok = True
    for grapheme in (False, True):
        pid = client.project(f"annotator browser g={grapheme} {time.strftime('%H%M%S')}", grapheme_mode=grapheme)
        with tempfile.TemporaryDirectory() as tmp:
            plain = Path(tmp) / "plain.jsonl"
            plain.write_text("".join(json.dumps({"text": raw, "doc_id": d, "label": []}, ensure_ascii=False) + "\n"
                                     for d, raw in ARTICLES.items()), encoding="utf-8")
            client.upload(pid, plain)
        examples = client.call("GET", f"/v1/projects/{pid}/examples?limit=10")["results"]
        examples.sort(key=lambda e: e["id"])
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=args.browser, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{client.url}/auth")
            time.sleep(2)
            page.fill("input[name=username]", args.username)
            page.fill("input[name=password]", args.password)
            page.keyboard.press("Enter")
            time.sleep(3)
            page.goto(f"{client.url}/projects/{pid}")
            time.sleep(2)
            page.get_by_text("Start Annotation").click()  # opens the first example in the editor
            page.wait_for_selector("svg text", timeout=60000)
            for n, example in enumerate(examples, start=1):
                doc_id = example["meta"].get("doc_id")
                if n > 1:  # doccano's own "Next" button (a fresh page load does not draw the text)
                    page.evaluate("() => [...document.querySelectorAll('button')]"
                                  ".find(b => b.textContent.trim().startsWith('Next')).click()")
                    time.sleep(2)
                page.wait_for_selector("svg text", timeout=60000)
                time.sleep(2)
                if n == 1:  # label first, then each drag tags (the choice stays for the next example)
                    page.get_by_text("surveillance", exact=True).last.click()
                    time.sleep(0.5)
                for word in targets[doc_id]:
                    if not drag_over(page, word):
                        print(f"  could not find {word!r} in doccano's editor")
                    time.sleep(1)
                if save:
                    page.screenshot(path=str(save / f"doccano-g{int(grapheme)}-{doc_id}.png"))
            browser.close()
        records = client.export(pid)
        print(f"(b) grapheme mode {'on' if grapheme else 'off'}: project {pid}")
        for record in records:
            raw = record["text"]
            u16 = Utf16Map(raw)
            # The words were tagged in text order, so the stored spans sorted by start are the words in order.
            words = sorted(targets[record["doc_id"]], key=raw.index)
            stored = sorted(record.get("label", []))
            if len(stored) != len(words):
                print(f"  {record['doc_id']}: {len(stored)} spans stored for {len(words)} words dragged")
                ok = False
            for word, (start, end, _label) in zip(words, stored, strict=False):
                cp = raw.index(word)
                units = {"code points": cp, "UTF-16": u16.to_utf16(cp), "graphemes": grapheme_offset(raw, cp)}
                which = [u for u, v in units.items() if v == start] or ["none of them"]
                print(f"  {word!r}: stored {start}-{end}; code points {cp}, UTF-16 {units['UTF-16']}, "
                      f"graphemes {units['graphemes']} -> {' = '.join(which)}")
        docs, ctx = read_back(records, save, f"doccano_editor_grapheme_{'on' if grapheme else 'off'}.jsonl")
        for note in ctx.notices:
            print(f"  notice: {note}")
        back = {(d.document.doc_id, s.text) for d in docs for lay in d.layers for s in lay.spans}
        for doc_id, words in targets.items():
            for word in words:
                hit = (doc_id, word) in back
                print(f"  ours read back {word!r}: {hit}")
                ok &= hit
    return ok


# Where a word is drawn in doccano's SVG text: the box of a DOM range over it, for a real mouse drag.
_WORD_BOX_JS = """
(word) => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.parentElement || !n.parentElement.closest('svg')) continue;
    const at = n.textContent.indexOf(word);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(n, at);
    range.setEnd(n, at + word.length);
    const r = range.getBoundingClientRect();
    return {left: r.left, right: r.right, y: r.top + r.height / 2};
  }
  return null;
}
"""


def drag_over(page: Any, word: str) -> bool:
    """Select a word with the mouse as a person does: press before its first letter, release after its last."""
    box = page.evaluate(_WORD_BOX_JS, word)
    if not box:
        return False
    page.mouse.move(box["left"] + 1, box["y"])
    page.mouse.down()
    page.mouse.move((box["left"] + box["right"]) / 2, box["y"], steps=4)
    page.mouse.move(box["right"] - 1, box["y"], steps=4)
    page.mouse.up()
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://localhost:8090")
    parser.add_argument("--username", default="admin")
    parser.add_argument("--password", required=True)
    parser.add_argument("--save", type=Path)
    parser.add_argument("--browser")
    args = parser.parse_args()
    client = Client(args.url, args.username, args.password)
    ok = check_files(client, args.save)
    if args.browser:
        ok &= check_browser(args, client, args.save)
    print("ALL CHECKS PASSED" if ok else "SOME CHECKS FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
