"""PostgreSQL's document search folds accents, as SQLite's FTS5 index already does.

Revision ID: 0005
Revises: 0004

The GIN index of 0002 indexed ``to_tsvector('simple', title || ' ' || text)``, so on a team server
"Pyongyang" did not find "Pyŏngyang" while the same search on a SQLite file did. The index expression
now folds accented Latin letters first with ``translate`` (built in and immutable; the ``unaccent``
extension needs rights a team's database user may lack). The two strings are
``annotator.core.search_fold.FOLD_FROM`` / ``FOLD_TO`` as they were when this revision was written,
copied here because a migration must not change when the code does; the search code builds the same
expression, and tests/store/test_search_folds_accents.py checks that the two still agree.

Rebuilding the index reads every document once; on a large server corpus the first open after the
upgrade takes correspondingly longer. SQLite files only record the new revision.
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# annotator.core.search_fold.FOLD_FROM and FOLD_TO as of this revision (488 letters each)
FOLD_FROM = (
    "ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨ"
    "ĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛ"
    "ǜǞǟǠǡǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳḀḁḂḃḄḅḆḇḈḉḊḋḌḍḎḏḐḑḒḓḔḕḖḗḘḙ"
    "ḚḛḜḝḞḟḠḡḢḣḤḥḦḧḨḩḪḫḬḭḮḯḰḱḲḳḴḵḶḷḸḹḺḻḼḽḾḿṀṁṂṃṄṅṆṇṈṉṊṋṌṍṎṏṐṑṒṓṔṕṖṗṘṙṚṛṜṝṞṟṠṡṢṣṤṥṦṧṨṩṪṫṬṭṮṯṰṱṲṳ"
    "ṴṵṶṷṸṹṺṻṼṽṾṿẀẁẂẃẄẅẆẇẈẉẊẋẌẍẎẏẐẑẒẓẔẕẖẗẘẙẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồ"
    "ỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹ"
)
FOLD_TO = (
    "AAAAAACEEEEIIIINOOOOOUUUUYaaaaaaceeeeiiiinooooouuuuyyAaAaAaCcCcCcCcDdEeEeEeEeEeGgGgGgGgHhI"
    "iIiIiIiIJjKkLlLlLlNnNnNnOoOoOoRrRrRrSsSsSsSsTtTtUuUuUuUuUuUuWwYyYZzZzZzOoUuAaIiOoUuUuUuUuU"
    "uAaAaGgKkOoOojGgNnAaAaAaEeEeIiIiOoOoRrRrUuUuSsTtHhAaEeOoOoOoOoYyAaBbBbBbCcDdDdDdDdDdEeEeEe"
    "EeEeFfGgHhHhHhHhHhIiIiKkKkKkLlLlLlLlMmMmMmNnNnNnNnOoOoOoOoPpPpRrRrRrRrSsSsSsSsSsTtTtTtTtUu"
    "UuUuUuUuVvVvWwWwWwWwWwXxXxYyZzZzZzhtwyAaAaAaAaAaAaAaAaAaAaAaAaEeEeEeEeEeEeEeEeIiIiOoOoOoOo"
    "OoOoOoOoOoOoOoOoUuUuUuUuUuUuUuYyYyYyYy"
)

FOLDED_DOCUMENT = "translate(coalesce(title, '') || ' ' || text, {source}, {target})"
PLAIN_DOCUMENT = "coalesce(title, '') || ' ' || text"


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    folded = FOLDED_DOCUMENT.format(source=_literal(FOLD_FROM), target=_literal(FOLD_TO))
    op.execute("DROP INDEX IF EXISTS ix_documents_search")
    op.execute(f"CREATE INDEX ix_documents_search ON documents USING GIN (to_tsvector('simple', {folded}))")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_documents_search")
    op.execute(f"CREATE INDEX ix_documents_search ON documents USING GIN (to_tsvector('simple', {PLAIN_DOCUMENT}))")
