"""A walk written from bound variables: read inside each row of the walk it hangs from.

The compiled statement (`schema/compiled_reads.py`) reads a walk below another walk's rows as a
COLLECT subquery in the parent's row map. It starts from the parent's node, already bound, instead of
collecting the parent rows' keys, unwinding them and looking each node up again by its uid (egi
matchmaking's statement: 8.35 -> 6.95 ms, client p50, hand-timed against each other).

The walk's own text (`Walk.match`, its filter, visibility, order and row) is the one its loader sends,
rewritten: each start node `(v:Label {uid: key})` (or `key.project`, `key.<part>` for a pair key)
becomes the bound node, and every variable it declares is renamed after its read (`n` -> `n_7`), since
Neo4j refuses a subquery variable that shadows one in scope. A walk this cannot rewrite (its key read
elsewhere than in a start node, rows that are not its target's own map) is not nested: it is read on
its own, keyed, as before.

A walk that checks the caller's visibility once per key (`Walk.visible_by_key`) needs no check when its
key node is bound to a row its parent read already checked for that label: the parent kept only the
nodes the caller may see. Nor does a walk along one edge from such a node check each row, where the
rows' own rule is witnessed by that node (`resolvers.visibility.visible_through`: a group's SLAs, an
SLA's projects, a project's quotas and private resources): egi matchmaking's statement spent ~0.2 ms
checking, for each SLA of the caller's group, that one of the caller's groups agreed it.

A service walk's rows carry whether the project holds a limit quota on each service (`held`, the test its
filter makes anyway); what the project may use on that service, read in those rows, reads it instead of
testing the quota again (egi matchmaking's statement: ~0.3 ms less, for its compute services' flavors
and images and its network services' networks).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from resolvers.db import BRANCH_PARAMETER
from resolvers.may_use import held_quota
from resolvers.visibility import Scope, visible_through
from resolvers.walks import Walk, filtered_match, with_entries

# A start node: `(v:Label {uid: key})`, `(:Label {uid: key.region})`.
_START = re.compile(r"\((\w*):(\w+) \{uid: key(?:\.(\w+))?\}\)")
# Variables a text declares: in a pattern (`(v:`, `(v)`, `[v:`, `(v {`), or after AS.
_DECLARED = re.compile(r"[(\[]\s*([a-z_]\w*)(?=\s*[:)\]{,])")
_ALIASED = re.compile(r"\bAS\s+([a-z_]\w*)")
# Never renamed: literals, and what the statement itself binds (`p`: the caller and the date; `key`).
_NOT_DECLARED = frozenset({"true", "false", "null", "p", "base", "key"})
_COMMENT = re.compile(r"//[^\n]*")
_HINT = re.compile(r"USING INDEX \w+:\w+\(\w+\)\s*")
_KEY = re.compile(r"(?<![\w.$`])key(?![\w`])(?!: )")
NESTED_PREFIX = "@"  # no stored property starts with it: GraphQL names and their camelCase never do
_CHILDREN = "\x00"  # where the children's entries go, once the walk's own variables are renamed
_PROJECT_UID = "\x01"  # where the project's uid goes, when no project node is bound


@dataclass(frozen=True)
class Bound:
    """What a nested read starts from.

    `start`: the variable of its parent's node; `start_visible`: the label whose visibility the
    parent's read checked for it (None: not checked as such). `project`: the variable of the project
    node its key pairs with, when one is bound (`project_visible`: checked as a Project), else
    `project_uid`: an expression for that project's uid (None: no project in scope)."""

    start: str
    start_visible: str | None = None
    project: str | None = None
    project_visible: bool = False
    project_uid: str | None = None
    # The variable the parent's read bound to whether `project` holds a limit quota on `start`
    # (`may_use.held_quota`, carried in its rows: `carries_held`); None: not carried.
    held: str | None = None


def entry(index: int) -> str:
    """The name under which a nested read's rows are in each of its parent's rows."""
    return f"{NESTED_PREFIX}{index}"


def nested_cypher(
    walk: Walk, where_clause: str, properties: tuple[str, ...] | None, index: int, bound: Bound, children: str = ""
) -> str | None:
    """The walk as a COLLECT subquery of rows read from `bound` (its parameter `$q<index>`); `children`
    are entries added to each row (", `@<i>`: COLLECT {...}"). None: this walk is not nested."""
    return _nested(walk, where_clause, properties, index, bound, children)


def carries_held(walk: Walk) -> bool:
    """Whether the walk binds `held` for each of its rows' nodes, and carries it to the reads in its rows."""
    return walk.held is not None and walk.held[1] == "n"


def can_nest(walk: Walk) -> bool:
    """Whether the walk can be read inside its parent's rows."""
    return _nested(walk, "true", None, 0, Bound("parent", project="project"), "") is not None


@lru_cache(maxsize=2048)
def _nested(
    walk: Walk, where_clause: str, properties: tuple[str, ...] | None, index: int, bound: Bound, children: str
) -> str | None:
    if not walk.rows_are_targets:
        return None
    # (An index hint is for the keyed walk's UNWIND; on a bound node Neo4j refuses it.)
    match = _HINT.sub("", _COMMENT.sub("", filtered_match(walk, where_clause)))
    starts = _START.findall(match)
    if not starts:
        return None
    renames: dict[str, str] = {}
    for var, _, part in starts:
        target = bound.project if part == "project" else bound.start
        if part == "project" and target is None and bound.project_uid is None:
            return None  # a pair key with no project in scope
        if var and target is not None:
            renames[var] = target
    if walk.visible_by_key is not None and _visible(walk.visible_by_key, starts, bound):
        match = match.replace(Scope.predicate(*walk.visible_by_key), "true")
    if walk.held is not None and not carries_held(walk) and bound.held is not None:
        project, service = walk.held
        if bound.project is not None and (renames.get(project), renames.get(service)) == (bound.project, bound.start):
            # the parent's row already says whether this project holds a limit quota on this service
            match = match.replace(held_quota(project, service) + "\n", "")
            renames["held"] = bound.held
    kept = "n, held" if carries_held(walk) else "n"
    from_key = (
        walk.edge is not None
        and walk.visible_as is None
        and bound.start_visible == walk.edge[0]
        and visible_through(*walk.edge, walk.target)
    )
    clauses = walk.clauses(where_clause, properties, visible_from_key=from_key)
    row = with_entries(clauses.row, ", " + _CHILDREN) if children else clauses.row
    text = (
        f"{match}\n"
        f"WITH {clauses.keep}{kept}\n"
        f"WHERE {clauses.condition}\n"
        f"WITH {kept} ORDER BY {clauses.order}, n.uid LIMIT {BRANCH_PARAMETER}.rowLimit\n"
        f"RETURN {row} AS row"
    )
    declared = {*_DECLARED.findall(text), *_ALIASED.findall(text)} - _NOT_DECLARED - renames.keys()
    text = _rename(text, {**{v: f"{v}_{index}" for v in declared}, **renames})
    text = re.sub(r"(?<![\w.$`])p\.f\b", f"$q{index}.f", text).replace(BRANCH_PARAMETER, f"$q{index}")

    def start(found: re.Match[str]) -> str:
        var, label, part = found.groups()
        if part == "project" and bound.project is None:
            return f"({var}:{label} {{uid: {_PROJECT_UID}}})"
        return f"({var or (bound.project if part == 'project' else bound.start)}:{label})"

    text = _START.sub(start, text)
    if _KEY.search(text):
        return None  # the key is read elsewhere than in a start node
    text = text.replace(_PROJECT_UID, bound.project_uid or "null").replace(_CHILDREN, children.removeprefix(", "))
    return f"COLLECT {{\n{text}\n}}"


def _visible(check: tuple[str, str], starts: list[tuple[str, str, str]], bound: Bound) -> bool:
    """Whether the node a walk checks once per key is bound to one its parent's read checked as such."""
    label, var = check
    for start_var, _, part in starts:
        if start_var != var:
            continue
        if part == "project":
            return label == "Project" and bound.project is not None and bound.project_visible
        return bound.start_visible == label
    return False


def _rename(text: str, names: dict[str, str]) -> str:
    if not names:
        return text
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    # Not a property (`.name`), parameter, label (`:Name`), quoted name, nor a map key (`name: value`).
    pattern = re.compile(rf"(?<![\w.$`:])({alternatives})(?![\w`])(?!: )")
    return pattern.sub(lambda found: names[found.group(1)], text)
