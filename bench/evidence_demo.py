"""Try the evidence report on real articles: import them, tag the same testimonies as three analysts
would, and write the report (HTML and Markdown) — the page shown in docs/evidence.md.

    python bench/evidence_demo.py /work/shared/corpus OUT_DIR

The articles' sentences are not copied anywhere in the project: the phrases below are the analysts'
choices, found in the files at run time. The files carry no metadata, so each article gets a placeholder
outlet ("Outlet A" …) and a placeholder date, both named as such in docs/evidence.md.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from annotator.cli import main
from annotator.core.text import canonicalize

# (label, phrase as each article words it). Each analyst tags what they see: ana everything; ben a
# slightly shorter extent (without the first word, unless that word holds the figure); cy every other
# testimony.
TESTIMONIES = [
    ("working_hours", ["working more than 18 hours a day", "relentless working hours exceeding 18 per day",
                       "laboring for over 18 hours a day", "enduring grueling shifts of 18 hours a day"]),
    ("working_hours", ["the workers were only given two days off a year", "with just two days off a year"]),
    ("working_hours", ["forced to work from 7am to 5am the next day – 22 hours straight",
                       "22-hour days of backbreaking work"]),
    ("surveillance", ["escorted to his workplace by a North Korean security officer",
                      "escorted from the airport to a construction site by a North Korean security agent",
                      "taken from the airport to a construction site by a North Korean security agent"]),
    ("surveillance", ["more frequent ideological training", "increasing ideological training sessions",
                      "increasing ideological indoctrination efforts"]),
    ("surveillance", ["like a prison without bars", "akin to living in a prison without bars"]),
    ("injury", ["One colleague fell from the third floor and broke his arm"]),
    ("injury", ["suffered severe facial injuries from a fall but was denied medical care",
                "suffered severe injuries after falling from a building, but was forbidden from seeking medical"]),
    ("remittance", ["most of the earnings are sent directly to North Korea", "sending most of the earnings back home"]),
    ("sanctions", ["This is in breach of UN sanctions", "suggesting a significant breach of these sanctions"]),
]
OUTLETS = ["Outlet A", "Outlet B", "Outlet C", "Outlet D", "Outlet E"]
DATES = ["2025-06-24", "2025-06-27", "2025-07-03", "2025-07-09", "2025-08-14"]


def build_jsonl(corpus: Path, out: Path) -> int:
    files = sorted(corpus.glob("*.txt"))
    texts = [canonicalize(f.read_text(encoding="utf-8")) for f in files]
    marks: dict[tuple[int, str], list[dict]] = {}
    for n, (label, phrases) in enumerate(TESTIMONIES):
        for phrase in phrases:
            for d, text in enumerate(texts):
                start = text.find(phrase)
                if start < 0:
                    continue
                end = start + len(phrase)
                marks.setdefault((d, "ana"), []).append({"start": start, "end": end, "label": label})
                first_space = phrase.find(" ")
                if phrase.count(" ") >= 4 and not any(ch.isdigit() for ch in phrase[:first_space]):
                    marks.setdefault((d, "ben"), []).append({"start": start + first_space + 1, "end": end, "label": label})
                else:
                    marks.setdefault((d, "ben"), []).append({"start": start, "end": end, "label": label})
                if n % 2 == 0:
                    marks.setdefault((d, "cy"), []).append({"start": start, "end": end, "label": label})
    lines = []
    for d, (path, text) in enumerate(zip(files, texts, strict=True)):
        meta = {"title": text.split("\n", 1)[0][:90], "source": OUTLETS[d % 5], "published": DATES[d % 5],
                "url": f"https://example.org/{path.stem}"}
        lines.append({"doc_id": path.stem, "text": text, "meta": meta})
        for name in ("ana", "ben", "cy"):
            spans = sorted(marks.get((d, name), []), key=lambda s: (s["start"], s["end"]))
            if spans:
                lines.append({"doc_id": path.stem, "text": text, "meta": meta, "annotator": name, "status": "done",
                              "spans": spans})
    out.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    return sum(len(v) for v in marks.values())


def run(corpus: Path, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    db = out_dir / "demo.sqlite3"
    db.unlink(missing_ok=True)
    source = out_dir / "demo.jsonl"
    spans = build_jsonl(corpus, source)
    print(f"{spans} spans by three analysts")
    assert main(["import", str(source), "--db", str(db), "--quiet"]) == 0
    for name in ("report.html", "report.md"):
        assert main(["report", "--db", str(db), "-o", str(out_dir / name)]) == 0


if __name__ == "__main__":
    run(Path(sys.argv[1]), Path(sys.argv[2]))
