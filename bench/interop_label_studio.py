"""Check our Label Studio export/import against a running Label Studio server (not run in CI).

Why: ``annotator/core/formats/label_studio.py`` was first written from Label Studio's documentation. This
script makes the real application take our files and give them back, so the offsets, quotes and line
ends it stores are facts, not assumptions. What it does:

a. writes our test articles (emoji and other astral characters, combining marks, CRLF line ends,
   Cyrillic, Korean, overlapping spans) with our ``label-studio`` writer and our ``labeling_config``,
   creates a project with that config, imports the tasks (annotations + the ``gold`` layer as
   predictions), exports the project as JSON (and as an export snapshot with full predictions), reads
   each export with our reader and compares every span;
b. creates an annotation on each task through ``POST /api/tasks/{id}/annotations/`` with results shaped
   as Label Studio's own editor stores them (``value.start``/``end`` in code points of the task text as
   given, each ``\\r`` and ``\\n`` counting one; ``value.text`` with every line break written as the two
   characters backslash and ``n``), exports again and checks that our reader puts the spans back;
c. optionally (``--browser /usr/bin/chromium``, needs the ``playwright`` package) opens the labelling
   page in a headless browser, selects words after the emoji and across the CRLF exactly as a person
   would (a DOM selection, then mouse-up), submits, and prints what the editor stored: the check that
   the offsets in (b) are really the editor's.

Setup (outside the repo, e.g. 2026-11-24 with label-studio 1.23.2)::

    python -m venv /tmp/ls-venv && /tmp/ls-venv/bin/pip install label-studio [playwright]
    LABEL_STUDIO_USERNAME=admin@example.com LABEL_STUDIO_PASSWORD=... \\
        /tmp/ls-venv/bin/label-studio start --no-browser --port 8089 --data-dir /tmp/ls-data

Label Studio 1.23 disables the old ``Token`` keys by default; create a personal access token (Account &
Settings → Personal Access Token, or ``POST /api/token/`` while logged in) and pass it with ``--token``.
The script exchanges it for an access token at ``/api/token/refresh/`` and falls back to ``Token`` auth
for older servers. Then, from the repository root::

    python bench/interop_label_studio.py --url http://localhost:8089 --token PAT [--save DIR] \\
        [--browser /usr/bin/chromium --email admin@example.com --password ...]

``--save DIR`` keeps the raw exports (the regression fixtures in ``tests/data/formats/`` came from it).
Exit status 0 when every span came back identical, 1 otherwise. Each run creates a new project.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.core.formats import ReadContext  # noqa: E402
from annotator.core.formats._shared import make_document  # noqa: E402
from annotator.core.formats.label_studio import LabelStudio, labeling_config  # noqa: E402
from annotator.core.model import AnnotatedDocument, LayerRecord, SpanRecord  # noqa: E402
from annotator.core.scheme import default_scheme  # noqa: E402

# Our own sentences. Each has something that breaks naive offsets before or inside a span.
ARTICLES = {
    "ls-emoji-crlf": (
        "Night shift 🌙 at the plant: one 👷🏽\u200d♀️ welder was burned on her 𝟏𝟐th hour.\r\n"
        "Managers read every message on the company app.\r\n"
        "Wages 💸 went home through a broker."
    ),
    "ls-cyrillic-korean": (
        "Рабочие говорили: «смены по 14 часов без выходных». 노동자들은 하루 12시간 일했다.\n"
        "The cafe\u0301 owner (naïve about the rules) paid in cash; cameras 📷 watched the dormitory."
    ),
}

# (article, quote, occurrence, label, layer): layers "analyst-a" and "gold" (gold goes to predictions).
SPANS = [
    ("ls-emoji-crlf", "welder was burned", 0, "injury", "analyst-a"),
    ("ls-emoji-crlf", "was burned on her 𝟏𝟐th hour", 0, "working_hours", "analyst-a"),  # overlaps
    ("ls-emoji-crlf", "hour.\nManagers read every message", 0, "surveillance", "analyst-a"),  # crosses CRLF
    ("ls-emoji-crlf", "Wages 💸 went home", 0, "remittance", "analyst-a"),
    ("ls-emoji-crlf", "welder was burned", 0, "injury", "gold"),
    ("ls-cyrillic-korean", "смены по 14 часов", 0, "working_hours", "analyst-a"),
    ("ls-cyrillic-korean", "하루 12시간", 0, "working_hours", "analyst-a"),
    ("ls-cyrillic-korean", "cafe\u0301 owner", 0, "remittance", "analyst-a"),
    ("ls-cyrillic-korean", "cameras 📷 watched the dormitory", 0, "surveillance", "analyst-a"),
    ("ls-cyrillic-korean", "📷 watched", 0, "surveillance", "gold"),
]


def build_items() -> list[AnnotatedDocument]:
    """Our documents as the store would hand them to the exporter (canonical text, code points)."""
    items = []
    for doc_id, raw in ARTICLES.items():
        doc = make_document(raw, doc_id, {"title": doc_id})
        layers: dict[str, list[SpanRecord]] = {}
        for art, quote, occurrence, label, layer in SPANS:
            if art != doc_id:
                continue
            start = -1
            for _ in range(occurrence + 1):
                start = doc.text.index(quote, start + 1)
            layers.setdefault(layer, []).append(SpanRecord(start, start + len(quote), label, quote))
        items.append(AnnotatedDocument(doc, [LayerRecord(name, "done", spans) for name, spans in layers.items()]))
    return items


def editor_result(raw_text: str, canonical_start: int, canonical_end: int, label: str) -> dict[str, Any]:
    """A result as Label Studio's editor stores it for a ``<Text>`` selection (see the module docstring).

    The editor renders each ``\\r`` and each ``\\n`` as its own line break and counts code points, so its
    offsets index the task text as given; its quote is the browser's selection text with every line break
    replaced by a literal backslash-n.
    """
    # A boundary before canonical position c lies after c characters and every '\r' dropped before it.
    dropped = [m.start() - n for n, m in enumerate(re.finditer("\r\n", raw_text))]  # canonical positions
    s, e = (c + sum(1 for d in dropped if d < c) for c in (canonical_start, canonical_end))
    quote = re.sub(r"[\r\n]", lambda _m: "\\n", raw_text[s:e])
    return {"from_name": "label", "to_name": "text", "type": "labels", "origin": "manual",
            "value": {"start": s, "end": e, "text": quote, "labels": [label]}}


class Client:
    """The few Label Studio REST calls we need, with the standard library only."""

    def __init__(self, url: str, token: str) -> None:
        self.url = url.rstrip("/")
        self.auth = f"Token {token}"
        try:
            access = self.call("POST", "/api/token/refresh/", {"refresh": token}, auth=False)
            self.auth = f"Bearer {access['access']}"
        except (urllib.error.HTTPError, KeyError, TypeError):
            pass  # an old server, or a legacy token: keep "Token"

    def call(self, method: str, path: str, body: Any = None, auth: bool = True) -> Any:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8") if body is not None else None
        headers = {"Content-Type": "application/json"}
        if auth:
            headers["Authorization"] = self.auth
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                payload = response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")[:800]
            raise SystemExit(f"{method} {path}: HTTP {exc.code}: {detail}") from None
        return json.loads(payload) if payload else None

    def export(self, project: int) -> list[dict[str, Any]]:
        """The plain JSON export (the Export button): predictions listed by id only."""
        return self.call("GET", f"/api/projects/{project}/export?exportType=JSON&download_all_tasks=true")

    def export_with_predictions(self, project: int) -> list[dict[str, Any]]:
        """An export snapshot asked to serialize predictions in full (the only way they come back)."""
        snapshot = self.call("POST", f"/api/projects/{project}/exports/", {
            "title": "annotator interop", "serialization_options": {"predictions": {"only_id": False}}})
        for _ in range(120):
            if self.call("GET", f"/api/projects/{project}/exports/{snapshot['id']}").get("status") == "completed":
                break
            time.sleep(0.5)
        return self.call("GET", f"/api/projects/{project}/exports/{snapshot['id']}/download?exportType=JSON")


def read_back(tasks: list[dict[str, Any]], save: Path | None, name: str) -> tuple[list[AnnotatedDocument], ReadContext]:
    """Our reader on Label Studio's export, written to a file exactly as downloaded."""
    folder = save or Path(tempfile.mkdtemp(prefix="ls-interop-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(tasks, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    ctx = ReadContext(str(path))
    docs = []
    for item in LabelStudio().read(path, ctx):
        if not isinstance(item, AnnotatedDocument):
            print(f"  ERROR {item}")
            continue
        docs.append(item)
    return docs, ctx


def spans_by_doc(items: list[AnnotatedDocument], layer_of=lambda lay: lay.annotator) -> dict[tuple, set]:
    out: dict[tuple, set] = {}
    for item in items:
        for layer in item.layers:
            key = (item.document.doc_id, layer_of(layer))
            out.setdefault(key, set()).update((s.start, s.end, s.label, s.text) for s in layer.spans)
    return out


def compare(expected: dict[tuple, set], got: dict[tuple, set], what: str) -> bool:
    ok = True
    for key, spans in sorted(expected.items()):
        back = got.get(key, set())
        if back != spans:
            ok = False
            print(f"  MISMATCH {what} {key}: missing {sorted(spans - back)} extra {sorted(back - spans)}")
    print(f"  {what}: {'identical' if ok else 'DIFFERENT'} ({sum(map(len, expected.values()))} spans)")
    return ok


def new_project(client: Client, kind: str, scheme) -> dict:  # type: ignore[no-untyped-def]
    """A fresh Label Studio project with our generated labelling config, named by check and time."""
    return client.call("POST", "/api/projects", {"title": f"annotator {kind} {time.strftime('%H%M%S')}",
                                                 "label_config": labeling_config(scheme)})


def check_ours(client: Client, save: Path | None) -> bool:
    """(a): our export, with our config, through Label Studio and back."""
    scheme = default_scheme()
    items = build_items()
    project = new_project(client, "export", scheme)
    pid = project["id"]
    labels = sorted(project.get("parsed_label_config", {}).get("label", {}).get("labels", []))
    print(f"(a) project {pid}: our labelling config accepted; its labels as Label Studio parsed them: {labels}")
    ok = labels == sorted(scheme.keys())
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "ours.json"
        LabelStudio(predictions_from="gold").write(items, out, scheme)
        tasks = json.loads(out.read_text(encoding="utf-8"))
    imported = client.call("POST", f"/api/projects/{pid}/import", tasks)
    print(f"  imported: {imported.get('task_count')} tasks, {imported.get('annotation_count')} annotations, "
          f"{imported.get('prediction_count')} predictions")
    exported = client.export(pid)
    docs, ctx = read_back(exported, save, "label_studio_export_of_ours.json")
    for note in ctx.notices:
        print(f"  notice: {note}")
    kept = all(t["data"]["text"] == next(i.document.text for i in items if i.document.doc_id == t["data"]["doc_id"])
               for t in exported)
    print(f"  task text kept exactly: {kept}")
    kinds = {"predictions as full objects": all(isinstance(p, dict) for t in exported for p in t.get("predictions", [])),
             "annotation-level 'annotator' kept": all("annotator" in a for t in exported for a in t["annotations"])}
    print(f"  export facts: {kinds}")
    # The gold layer went in as predictions; the export lists those by id only, so only annotations come back.
    expected = {k: v for k, v in spans_by_doc(items).items() if k[1] != "gold"}
    got = spans_by_doc(docs)  # the layer's name must come back too (from the results' "annotator")
    ok &= kept & compare(expected, got, "(a) ours → Label Studio → ours")
    ok &= not any("converted" in n or "re-anchored" in n for n in ctx.notices)
    docs, ctx = read_back(client.export_with_predictions(pid), save, "label_studio_snapshot_with_predictions.json")
    for note in ctx.notices:
        print(f"  notice: {note}")
    ok &= compare(spans_by_doc(items), spans_by_doc(docs), "(a) snapshot export with predictions → ours")
    return ok


def check_editor_shaped(client: Client, save: Path | None) -> bool:
    """(b): plain tasks with the raw text (CRLF kept), annotated as the editor stores annotations."""
    scheme = default_scheme()
    items = build_items()
    project = new_project(client, "editor", scheme)
    pid = project["id"]
    client.call("POST", f"/api/projects/{pid}/import",
                [{"data": {"text": raw, "doc_id": doc_id}} for doc_id, raw in ARTICLES.items()])
    task_ids = {t["data"]["doc_id"]: t["id"] for t in client.export(pid)}
    for item in items:
        raw = ARTICLES[item.document.doc_id]
        layer = next(lay for lay in item.layers if lay.annotator == "analyst-a")
        result = [dict(editor_result(raw, s.start, s.end, s.label), id=f"e{n}") for n, s in enumerate(layer.spans)]
        client.call("POST", f"/api/tasks/{task_ids[item.document.doc_id]}/annotations/",
                    {"result": result, "was_cancelled": False, "ground_truth": False, "lead_time": 1.0})
    exported = client.export(pid)
    kept = all(t["data"]["text"] == ARTICLES[t["data"]["doc_id"]] for t in exported)
    print(f"(b) project {pid}: task text with \\r\\n kept exactly: {kept}")
    docs, ctx = read_back(exported, save, "label_studio_editor_shaped.json")
    for note in ctx.notices:
        print(f"  notice: {note}")
    expected = {k: v for k, v in spans_by_doc(items).items() if k[1] == "analyst-a"}
    got = {(d, "analyst-a"): v for (d, _who), v in spans_by_doc(docs).items()}
    return kept & compare(expected, got, "(b) editor-shaped annotation → export → ours")


def check_browser(args: argparse.Namespace, client: Client, save: Path | None) -> bool:
    """(c): select text in the real editor and submit; compare what it stored with ``editor_result``."""
    from playwright.sync_api import sync_playwright

    targets = [("ls-emoji-crlf", "welder was burned", "injury"),
               ("ls-emoji-crlf", "hour.\nManagers read", "surveillance"),
               ("ls-cyrillic-korean", "cameras 📷 watched", "surveillance"),
               ("ls-emoji-crlf", "went home", "remittance"),
               ("ls-cyrillic-korean", "하루 12시간", "working_hours")]
    project = client.call("POST", "/api/projects", {"title": f"annotator browser {time.strftime('%H%M%S')}",
                                                    "label_config": labeling_config(default_scheme())})
    pid = project["id"]
    client.call("POST", f"/api/projects/{pid}/import",
                [{"data": {"text": raw, "doc_id": doc_id}} for doc_id, raw in ARTICLES.items()])
    task_ids = {t["data"]["doc_id"]: t["id"] for t in client.export(pid)}
    print(f"(c) project {pid}: annotating in headless Chromium")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=args.browser, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"{client.url}/user/login/")
        page.fill("input[name=email]", args.email)
        page.fill("input[name=password]", args.password)
        page.keyboard.press("Enter")
        page.wait_for_load_state("networkidle")
        for doc_id in ARTICLES:
            page.goto(f"{client.url}/projects/{pid}/data?task={task_ids[doc_id]}")
            page.wait_for_selector("[class*=richtext__line]", timeout=60000)
            time.sleep(1)
            for _doc, quote, label in (t for t in targets if t[0] == doc_id):
                page.get_by_text(label, exact=True).first.click()
                # The editor draws "\r\n" as two line breaks: select the text as it is drawn.
                drawn = quote.replace("\n", "\n\n") if "\r\n" in ARTICLES[doc_id] else quote
                missing = page.evaluate(_SELECT_JS, drawn)
                if missing:
                    print(f"  could not select {quote!r}: {missing}")
                time.sleep(0.5)
            if save:
                page.screenshot(path=str(save / f"browser-{doc_id}.png"))
            page.locator("button", has_text=re.compile("^(Submit|Update)$")).first.click()
            time.sleep(2)
        browser.close()
    exported = client.export(pid)
    docs, ctx = read_back(exported, save, "label_studio_browser.json")
    for note in ctx.notices:
        print(f"  notice: {note}")
    ok = True
    for task in exported:
        doc_id = task["data"]["doc_id"]
        canonical = make_document(ARTICLES[doc_id]).text
        for entry in task["annotations"]:
            for res in entry["result"]:
                value = res["value"]
                quote = next(q for d, q, lb in targets if d == doc_id and lb == value["labels"][0])
                s = canonical.index(quote)
                predicted = editor_result(ARTICLES[doc_id], s, s + len(quote), value["labels"][0])["value"]
                same = (value["start"], value["end"], value.get("text")) == (
                    predicted["start"], predicted["end"], predicted["text"])
                ok &= same
                print(f"  editor stored {value['start']}-{value['end']} {value.get('text')!r}; "
                      f"expected {predicted['start']}-{predicted['end']} {predicted['text']!r}: "
                      f"{'same' if same else 'DIFFERENT'}")
    back = {(d.document.doc_id, s.text, s.label) for d in docs for lay in d.layers for s in lay.spans}
    for doc_id, quote, label in targets:
        found = (doc_id, quote, label) in back
        ok &= found
        print(f"  ours read back {quote!r} ({label}): {found}")
    return ok


# Select the first occurrence of a quote (with "\n" standing for a rendered line break) in the editor's
# text, the way a mouse drag does, then fire mouse-up on the text so the editor creates the region.
_SELECT_JS = """
(quote) => {
  const root = document.querySelector('[class*="richtext__container"], [class*="htx-richtext"]') || document.body;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ALL);
  const pieces = [];
  let text = '';
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.nodeType === Node.TEXT_NODE) { pieces.push([n, text.length, false]); text += n.textContent; }
    else if (n.nodeName === 'BR') { pieces.push([n, text.length, true]); text += '\\n'; }
  }
  const at = text.indexOf(quote);
  if (at < 0) return 'NOT FOUND in ' + JSON.stringify(text.slice(0, 200));
  const locate = (offset, isEnd) => {
    for (const [node, start, isBr] of pieces) {
      const len = isBr ? 1 : node.textContent.length;
      if (!isBr && offset >= start && (isEnd ? offset <= start + len : offset < start + len)) return [node, offset - start];
    }
    return null;
  };
  const [sn, so] = locate(at, false);
  const [en, eo] = locate(at + quote.length, true);
  const range = document.createRange();
  range.setStart(sn, so);
  range.setEnd(en, eo);
  const sel = window.getSelection();
  sel.removeAllRanges();
  sel.addRange(range);
  const target = en.parentElement;
  target.dispatchEvent(new MouseEvent('mousedown', {bubbles: true}));
  target.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
  return '';
}
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://localhost:8089")
    parser.add_argument("--token", required=True, help="personal access token (or a legacy API token)")
    parser.add_argument("--save", type=Path, help="folder to keep Label Studio's raw exports in")
    parser.add_argument("--browser", help="a Chromium executable: also annotate through the real editor")
    parser.add_argument("--email", default="admin@example.com")
    parser.add_argument("--password", default="")
    args = parser.parse_args()
    client = Client(args.url, args.token)
    version = client.call("GET", "/api/version")
    print(f"Label Studio {version.get('release')} at {client.url}")
    ok = check_ours(client, args.save)
    ok &= check_editor_shaped(client, args.save)
    if args.browser:
        ok &= check_browser(args, client, args.save)
    print("ALL IDENTICAL" if ok else "SOME SPANS DIFFER")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
