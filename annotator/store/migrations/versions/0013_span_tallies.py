"""Span tallies kept by triggers: spans per (analyst, label) and per (analyst, five-minute slot).

Revision ID: 0013
Revises: 0012

The team dashboard (``store/dashboard.py``) must open in under a second at 100,000 documents, and any
query over every span (600,000 in the benchmark) takes longer than that on its own. These two small
tables hold the counts it needs, kept by triggers on ``spans`` — so every writer (the app, imports, ``db
copy``, a script with raw SQL) keeps them right without knowing they exist:

* ``span_label_tallies (annotator_id, label_id, n)``: the label distribution;
* ``span_slot_tallies (annotator_id, slot, n)``: spans created per five-minute slot (``slot`` = seconds
  since 1970 // 300), from which ``core.team_stats`` reckons hours of work.

A span added counts +1 in both, a span deleted −1, a span whose label, creation time or layer changes
moves. Deleting a layer (directly, or through its document) subtracts its spans in a ``BEFORE DELETE``
trigger on ``layers``: the cascade then deletes spans whose layer is gone, which the span trigger skips.
A row whose count falls to 0 is deleted, so a copy holds the same rows. Existing spans are tallied here
once. A bulk import pauses the insert trigger for its own transaction and adds its counts itself
(``store/tallies.py``).
"""

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

SQLITE_SLOT = "(CAST(strftime('%s', {t}) AS INTEGER) / 300)"  # whole seconds, integer division: exact
PG_SLOT = "floor(extract(epoch from {t}) / 300)::bigint"

TABLES = (
    "CREATE TABLE span_label_tallies (annotator_id INTEGER NOT NULL, label_id INTEGER NOT NULL, "
    "n INTEGER NOT NULL, PRIMARY KEY (annotator_id, label_id))",
    "CREATE TABLE span_slot_tallies (annotator_id INTEGER NOT NULL, slot BIGINT NOT NULL, "
    "n INTEGER NOT NULL, PRIMARY KEY (annotator_id, slot))",
)


def _sqlite_add(row: str, sign: str) -> str:
    """Statements adding ``sign``·1 for span ``row`` (new/old) to both tallies (no-op when its layer is gone)."""
    who = f"(SELECT annotator_id FROM layers WHERE id = {row}.layer_id)"
    slot = SQLITE_SLOT.format(t=f"{row}.created")
    added = (f"INSERT INTO span_label_tallies (annotator_id, label_id, n) SELECT {who}, {row}.label_id, {sign}1 "
             f"WHERE {who} IS NOT NULL ON CONFLICT (annotator_id, label_id) DO UPDATE SET n = n {sign} 1; "
             f"INSERT INTO span_slot_tallies (annotator_id, slot, n) SELECT {who}, {slot}, {sign}1 "
             f"WHERE {who} IS NOT NULL ON CONFLICT (annotator_id, slot) DO UPDATE SET n = n {sign} 1; ")
    if sign == "+":
        return added
    return added + (f"DELETE FROM span_label_tallies WHERE annotator_id = {who} AND label_id = {row}.label_id "
                    f"AND n <= 0; DELETE FROM span_slot_tallies WHERE annotator_id = {who} AND slot = {slot} "
                    "AND n <= 0; ")


LAYER_GONE_SQLITE = (
    "UPDATE span_label_tallies SET n = n - (SELECT COUNT(*) FROM spans WHERE spans.layer_id = old.id "
    "AND spans.label_id = span_label_tallies.label_id) WHERE annotator_id = old.annotator_id; "
    "UPDATE span_slot_tallies SET n = n - (SELECT COUNT(*) FROM spans WHERE spans.layer_id = old.id "
    f"AND {SQLITE_SLOT.format(t='spans.created')} = span_slot_tallies.slot) "
    "WHERE annotator_id = old.annotator_id AND slot IN (SELECT "
    f"{SQLITE_SLOT.format(t='spans.created')} FROM spans WHERE spans.layer_id = old.id); "
    "DELETE FROM span_label_tallies WHERE annotator_id = old.annotator_id AND n <= 0; "
    "DELETE FROM span_slot_tallies WHERE annotator_id = old.annotator_id AND n <= 0 AND slot IN (SELECT "
    f"{SQLITE_SLOT.format(t='spans.created')} FROM spans WHERE spans.layer_id = old.id); "
)

PG_FUNCTIONS = f"""
CREATE FUNCTION span_tallies_add(who integer, label integer, created timestamp, delta integer) RETURNS void AS $$
BEGIN
  IF who IS NULL THEN RETURN; END IF;
  INSERT INTO span_label_tallies (annotator_id, label_id, n) VALUES (who, label, delta)
    ON CONFLICT (annotator_id, label_id) DO UPDATE SET n = span_label_tallies.n + delta;
  INSERT INTO span_slot_tallies (annotator_id, slot, n) VALUES (who, {PG_SLOT.format(t='created')}, delta)
    ON CONFLICT (annotator_id, slot) DO UPDATE SET n = span_slot_tallies.n + delta;
  IF delta < 0 THEN
    DELETE FROM span_label_tallies WHERE annotator_id = who AND label_id = label AND n <= 0;
    DELETE FROM span_slot_tallies WHERE annotator_id = who AND slot = {PG_SLOT.format(t='created')} AND n <= 0;
  END IF;
END $$ LANGUAGE plpgsql;

CREATE FUNCTION span_tallies_on_span() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' AND current_setting('annotator.tallies_paused', true) = 'on' THEN
    RETURN NULL;  -- a bulk load counts its own spans (store/tallies.py)
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    PERFORM span_tallies_add((SELECT annotator_id FROM layers WHERE id = OLD.layer_id), OLD.label_id, OLD.created, -1);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM span_tallies_add((SELECT annotator_id FROM layers WHERE id = NEW.layer_id), NEW.label_id, NEW.created, 1);
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE FUNCTION span_tallies_on_layer_delete() RETURNS trigger AS $$
BEGIN
  UPDATE span_label_tallies t SET n = t.n - c.n
    FROM (SELECT label_id, COUNT(*) AS n FROM spans WHERE layer_id = OLD.id GROUP BY label_id) c
    WHERE t.annotator_id = OLD.annotator_id AND t.label_id = c.label_id;
  UPDATE span_slot_tallies t SET n = t.n - c.n
    FROM (SELECT {PG_SLOT.format(t='created')} AS slot, COUNT(*) AS n FROM spans WHERE layer_id = OLD.id
          GROUP BY 1) c
    WHERE t.annotator_id = OLD.annotator_id AND t.slot = c.slot;
  DELETE FROM span_label_tallies WHERE annotator_id = OLD.annotator_id AND n <= 0;
  DELETE FROM span_slot_tallies t USING (SELECT DISTINCT {PG_SLOT.format(t='created')} AS slot FROM spans
                                          WHERE layer_id = OLD.id) c
    WHERE t.annotator_id = OLD.annotator_id AND t.slot = c.slot AND t.n <= 0;
  RETURN OLD;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER spans_tally AFTER INSERT OR DELETE ON spans FOR EACH ROW EXECUTE FUNCTION span_tallies_on_span();
CREATE TRIGGER spans_tally_update AFTER UPDATE OF label_id, created, layer_id ON spans FOR EACH ROW
  WHEN (OLD.label_id IS DISTINCT FROM NEW.label_id OR OLD.created IS DISTINCT FROM NEW.created
        OR OLD.layer_id IS DISTINCT FROM NEW.layer_id)
  EXECUTE FUNCTION span_tallies_on_span();
CREATE TRIGGER layers_tally BEFORE DELETE ON layers FOR EACH ROW EXECUTE FUNCTION span_tallies_on_layer_delete();
"""


def _backfill(slot: str) -> None:
    op.execute("INSERT INTO span_label_tallies (annotator_id, label_id, n) SELECT layers.annotator_id, "
               "spans.label_id, COUNT(*) FROM spans JOIN layers ON layers.id = spans.layer_id GROUP BY 1, 2")
    op.execute(f"INSERT INTO span_slot_tallies (annotator_id, slot, n) SELECT layers.annotator_id, "
               f"{slot.format(t='spans.created')}, COUNT(*) FROM spans JOIN layers ON layers.id = spans.layer_id "
               "GROUP BY 1, 2")


def upgrade() -> None:
    for statement in TABLES:
        op.execute(statement)
    if op.get_bind().dialect.name == "sqlite":
        _backfill(SQLITE_SLOT)
        op.execute(f"CREATE TRIGGER spans_tally_ai AFTER INSERT ON spans BEGIN {_sqlite_add('new', '+')}END")
        op.execute(f"CREATE TRIGGER spans_tally_ad AFTER DELETE ON spans BEGIN {_sqlite_add('old', '-')}END")
        op.execute("CREATE TRIGGER spans_tally_au AFTER UPDATE OF label_id, created, layer_id ON spans "
                   "WHEN old.label_id IS NOT new.label_id OR old.created IS NOT new.created "
                   f"OR old.layer_id IS NOT new.layer_id BEGIN {_sqlite_add('old', '-')}{_sqlite_add('new', '+')}END")
        op.execute(f"CREATE TRIGGER layers_tally_bd BEFORE DELETE ON layers BEGIN {LAYER_GONE_SQLITE}END")
    else:
        _backfill(PG_SLOT)
        op.execute(PG_FUNCTIONS)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("spans_tally_ai", "spans_tally_ad", "spans_tally_au", "layers_tally_bd"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    else:
        op.execute("DROP TRIGGER IF EXISTS spans_tally ON spans")
        op.execute("DROP TRIGGER IF EXISTS spans_tally_update ON spans")
        op.execute("DROP TRIGGER IF EXISTS layers_tally ON layers")
        for function in ("span_tallies_on_span()", "span_tallies_on_layer_delete()",
                         "span_tallies_add(integer, integer, timestamp, integer)"):
            op.execute(f"DROP FUNCTION IF EXISTS {function}")
    op.execute("DROP TABLE span_slot_tallies")
    op.execute("DROP TABLE span_label_tallies")
