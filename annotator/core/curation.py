"""Curation planning: what goes into the gold layer without asking, and what the curator must decide.

Given several annotators' spans on one document and a policy, a span (start, end, label) is
*pre-accepted* when enough distinct annotators made exactly that span:

* ``unanimous``: every annotator;
* ``majority``: more than half of them (2 of 3, 3 of 4, but 2 of 2).

Everything else is grouped by overlap: spans (of any label, any annotator) that share a character, or
are chained through spans that do, form one :class:`DisagreementGroup`. A group is reported only if
it holds at least one span that was not pre-accepted; it carries each annotator's version (their spans
in the group, possibly none) so the UI can offer accept-one / edit / reject. The module is pure: it
neither reads nor writes a layer.

Once the curator works, :func:`group_state` says which groups are settled from plain data (the gold spans
as tuples, the rejected groups' keys as a set), so the rule is tested without a window and any other
front end (a report, a command) counts open groups the same way the curation view does.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

POLICIES = ("unanimous", "majority")

Span = tuple[int, int, str]
"""(start, end, label) in code points, end exclusive."""


@dataclass(frozen=True)
class DisagreementGroup:
    """Overlapping spans the policy did not settle."""

    start: int
    end: int
    """Extent of the group (smallest start, largest end)."""
    versions: dict[str, tuple[Span, ...]]
    """Every annotator -> its spans in this group, sorted (empty: it marked nothing here)."""
    accepted: tuple[Span, ...]
    """Spans of this group already pre-accepted into gold."""
    pending: tuple[Span, ...]
    """Distinct spans of this group not pre-accepted: what the curator accepts, edits or rejects."""


@dataclass(frozen=True)
class CurationPlan:
    """Pre-accepted gold spans and the groups left for the curator, both sorted by position."""

    accepted: tuple[Span, ...]
    groups: tuple[DisagreementGroup, ...]


def required_votes(policy: str, n_annotators: int) -> int:
    """How many distinct annotators must agree on a span for the policy to accept it."""
    if policy == "unanimous":
        return n_annotators
    if policy == "majority":
        return n_annotators // 2 + 1
    raise ValueError(f"unknown curation policy {policy!r}; expected one of {', '.join(POLICIES)}")


def plan_curation(spans: Mapping[str, Iterable[Span]], policy: str = "unanimous") -> CurationPlan:
    """Split one document's annotator spans into pre-accepted gold and disagreement groups.

    ``spans`` maps every annotator taking part (also those with no spans) to its spans; an annotator
    listing the same span twice still has one vote.
    """
    layers = {name: sorted(set(items)) for name, items in spans.items()}
    need = required_votes(policy, len(layers))
    votes: dict[Span, int] = {}
    for items in layers.values():
        for sp in items:
            votes[sp] = votes.get(sp, 0) + 1
    accepted = {sp for sp, v in votes.items() if need > 0 and v >= need}

    # cluster every span by overlap (sweep over spans sorted by start)
    everything = sorted({(sp, name) for name, items in layers.items() for sp in items},
                        key=lambda x: (x[0][0], x[0][1], x[0][2], x[1]))
    clusters: list[list[tuple[Span, str]]] = []
    reach = None
    for sp, name in everything:
        if reach is None or sp[0] >= reach:
            clusters.append([])
            reach = sp[1]
        else:
            reach = max(reach, sp[1])
        clusters[-1].append((sp, name))

    groups = []
    for members in clusters:
        distinct = {sp for sp, _ in members}
        pending = tuple(sorted(distinct - accepted))
        if not pending:
            continue
        versions = {name: tuple(sorted(sp for sp, who in members if who == name)) for name in sorted(layers)}
        groups.append(DisagreementGroup(
            start=min(sp[0] for sp in distinct), end=max(sp[1] for sp in distinct), versions=versions,
            accepted=tuple(sorted(distinct & accepted)), pending=pending))
    return CurationPlan(accepted=tuple(sorted(accepted)), groups=tuple(groups))


# ================================================================== group state (what the curation view shows)
GroupKey = tuple[int, int]
"""How a group is named where it is stored (rejections): its extent (start, end)."""

GROUP_STATES = ("open", "accepted", "rejected")
"""``open``: the curator has not settled it; ``accepted``: gold holds a span the curator chose here (or
kept a pre-accepted one); ``rejected``: settled with nothing in gold."""


def overlaps(span: tuple[int, int] | Span, start: int, end: int) -> bool:
    """True when ``span`` (start, end[, label]) shares a character with ``[start, end)``; touching is not."""
    return span[0] < end and start < span[1]


def group_key(group: DisagreementGroup) -> GroupKey:
    """The key a rejection of ``group`` is stored under: its extent, stable while the versions are."""
    return (group.start, group.end)


def gold_in_group(gold: Iterable[Span], group: DisagreementGroup) -> list[Span]:
    """The gold spans that share a character with the group's extent, in the order given."""
    return [span for span in gold if overlaps(span, group.start, group.end)]


def group_state(group: DisagreementGroup, gold: Iterable[Span], rejected: Collection[GroupKey]) -> str:
    """Whether the curator has settled ``group``: "accepted", "rejected" or "open" (:data:`GROUP_STATES`).

    ``gold`` is the document's gold layer as (start, end, label) and ``rejected`` the keys of the groups
    the curator rejected. A pre-accepted span does not settle a group by itself (the policy put it there,
    not the curator); any other gold span in the group does. A rejected group is "accepted" all the same
    while gold still holds one of its pre-accepted spans: keeping the majority's version is stored as a
    rejection of the others.
    """
    pre = set(group.accepted)
    here = gold_in_group(gold, group)
    if group_key(group) in rejected:
        return "accepted" if any(tuple(span) in pre for span in here) else "rejected"
    if any(tuple(span) not in pre for span in here):
        return "accepted"
    return "open"


def unresolved(groups: Iterable[DisagreementGroup], gold: Iterable[Span], rejected: Collection[GroupKey]) -> int:
    """How many of ``groups`` are still "open": "Mark gold done" waits until none is."""
    gold = list(gold)
    return sum(1 for group in groups if group_state(group, gold, rejected) == "open")


# ================================================================== what kind of disagreement, and accepting a version
KINDS = ("boundaries", "labels", "presence")
"""``boundaries``: every annotator marked something here, all with one label, at different extents;
``labels``: the versions use different labels; ``presence``: one label, but some annotators marked nothing."""


def disagreement_kind(group: DisagreementGroup) -> str:
    """How the versions of ``group`` differ (:data:`KINDS`): a boundary-only group is a quicker decision
    (the label is settled, only the extent is not), so the curation view marks it apart from the others."""
    labels = {span[2] for spans in group.versions.values() for span in spans}
    if len(labels) > 1:
        return "labels"
    if any(not spans for spans in group.versions.values()):
        return "presence"
    return "boundaries"


@dataclass(frozen=True)
class Acceptance:
    """What accepting one version of a group does to gold: one step, so one undo restores the group."""

    remove: tuple[Span, ...]
    """Gold spans in the group that are not part of the accepted version (another label, other boundaries,
    a span added by hand): accepting a version *replaces* the group's gold, it never adds a second label."""
    add: tuple[Span, ...]
    """The accepted span, when gold does not hold it yet."""
    rejected: bool
    """Whether the group's stored decision must be "rejected" afterwards: when only pre-accepted spans (or
    nothing) remain in the group — keeping the majority's version, or an annotator's "nothing here" — the
    decision is what marks the group settled; otherwise a stale rejection must go."""


def accept_version(group: DisagreementGroup, gold: Iterable[Span], version: Iterable[Span],
                   chosen: Span | None) -> Acceptance:
    """Accept ``chosen`` (one span of an annotator's ``version`` in ``group``; None: that annotator marked
    nothing here) against the document's current ``gold``.

    Gold spans in the group that belong to the same version are kept (an annotator's two spans in one
    group are accepted one after the other); every other gold span in the group goes.
    """
    mine = set(version)
    here = gold_in_group(gold, group)
    if chosen is None:
        return Acceptance(remove=tuple(here), add=(), rejected=True)
    remove = tuple(span for span in here if tuple(span) not in mine)
    kept = [tuple(span) for span in here if tuple(span) in mine]
    add = () if chosen in kept else (chosen,)
    pre = set(group.accepted)
    rejected = all(span in pre for span in [*kept, *add])
    return Acceptance(remove=remove, add=add, rejected=rejected)


def same_extent(gold: Iterable[Span], span: Span) -> Span | None:
    """A gold span at exactly ``span``'s characters with another label (a second label on one extent), or None."""
    return next((g for g in gold if (g[0], g[1]) == (span[0], span[1]) and g[2] != span[2]), None)
