"""Reading the ally map's records into the tables section E.6 describes (pure)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from placekit import Responses, local_time
from placekit_relationships import classify
from placekit_relationships.schema import CIRCLE_LABELS, PLAN_STATUS, TIE_KINDS, UNKNOWN

if TYPE_CHECKING:
    import pandas as pd

RATINGS = ("power", "interest", "stance", "relationship")
MEMBER = "member:"  # a tie's end that is a team member rather than a stakeholder


def stakeholders(responses: Responses) -> dict[str, dict[str, Any]]:
    """Stakeholder id -> data, in the order they were added."""
    return responses.records("stakeholder")


def named(responses: Responses) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in stakeholders(responses).items() if str(v.get("name") or "").strip()}


def stance_value(raw: Any) -> int | None:
    return None if raw in (None, "", UNKNOWN) else int(raw)


def stance_label(raw: Any) -> str:
    """The words for a stored stance, or for one read back from a frame (where pandas has
    turned "not known" into NaN)."""
    if isinstance(raw, float) and math.isnan(raw):
        raw = None
    return classify.STANCE_LABELS[stance_value(raw)]


def is_rated(data: dict[str, Any]) -> bool:
    return all(data.get(name) not in (None, "") for name in RATINGS)


CLASSIFIED = [
    "stakeholder_id", "name", "kind", "organisation", "circle", "power", "interest",
    "stance", "relationship", "quadrant", "boundary", "status", "priority", "needs_plan",
]  # fmt: skip


def classified(responses: Responses) -> pd.DataFrame:
    """One row per rated stakeholder with section E.5's quadrant, status and priority,
    most urgent relationship work first."""
    import pandas as pd  # lazy: for tables and charts only; every kernel loads this

    rows = []
    for sid, s in named(responses).items():
        if not is_rated(s):
            continue
        stance = stance_value(s["stance"])
        power, interest = int(s["power"]), int(s["interest"])
        rows.append(
            {
                "stakeholder_id": sid,
                "name": s["name"],
                "kind": s.get("kind") or "",
                "organisation": s.get("organisation") or "",
                "circle": s.get("circle") or "unsure",
                "power": power,
                "interest": interest,
                "stance": stance,
                "relationship": int(s["relationship"]),
                "quadrant": classify.grid_quadrant(power, interest).label,
                "boundary": classify.on_boundary(power, interest),
                "status": classify.ally_status(stance, power, interest),
                "priority": classify.priority(power, int(s["relationship"]), stance),
                "needs_plan": classify.needs_plan(stance, power, interest),
            }
        )
    frame = pd.DataFrame(rows, columns=CLASSIFIED)
    return frame.sort_values(["priority", "name"], ascending=[False, True], kind="stable")


def member_names(responses: Responses) -> dict[str, str]:
    return {m["id"]: m["display_name"] for m in responses.members}


def ally_table(responses: Responses) -> pd.DataFrame:
    """Section E.6's ally table, with each relationship plan beside it."""
    import pandas as pd  # lazy, as in classified

    plans = responses.records("plan")
    owners = member_names(responses)
    status = dict(PLAN_STATUS)
    rows = []
    for r in classified(responses).itertuples():
        plan = plans.get(r.stakeholder_id, {})
        rows.append(
            {
                "Stakeholder": r.name,
                "Circle": CIRCLE_LABELS.get(r.circle, ""),
                "Power": r.power,
                "Interest": r.interest,
                "Quadrant": r.quadrant + (" (on the line)" if r.boundary else ""),
                "Stance": stance_label(r.stance),
                "Ally status": r.status,
                "Priority": r.priority,
                "Bridge": plan.get("bridge") or "",
                "Next contact": plan.get("next_contact") or "",
                "Owner": owners.get(plan.get("owner") or "", ""),
                "Plan status": status.get(plan.get("status") or "", ""),
            }
        )
    columns = [
        "Stakeholder", "Circle", "Power", "Interest", "Quadrant", "Stance", "Ally status",
        "Priority", "Bridge", "Next contact", "Owner", "Plan status",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def end_name(responses: Responses, end: str) -> str:
    if end.startswith(MEMBER):
        return member_names(responses).get(end[len(MEMBER) :], "")
    return str(named(responses).get(end, {}).get("name") or "")


def tie_choices(responses: Responses) -> tuple[tuple[str, str], ...]:
    """Who a tie can join: the named stakeholders, then the team's members."""
    people = [(sid, s["name"]) for sid, s in named(responses).items()]
    team = [(MEMBER + m, f"{n} (our team)") for m, n in member_names(responses).items()]
    return tuple(people + team)


def ties(responses: Responses) -> pd.DataFrame:
    """Every complete tie whose two ends still exist: From, Relationship, To, Strength."""
    import pandas as pd  # lazy, as in classified

    labels = dict(TIE_KINDS)
    rows = []
    for tid, t in responses.records("tie").items():
        source, target = str(t.get("source") or ""), str(t.get("target") or "")
        a, b = end_name(responses, source), end_name(responses, target)
        if a and b and source != target and t.get("kind") in labels:
            rows.append(
                {
                    "tie_id": tid, "source": source, "target": target, "From": a,
                    "Relationship": labels[t["kind"]], "To": b,
                    "Strength": t.get("strength"),
                }
            )  # fmt: skip
    columns = ["tie_id", "source", "target", "From", "Relationship", "To", "Strength"]
    return pd.DataFrame(rows, columns=columns)


def movement(responses: Responses) -> pd.DataFrame:
    """Every change of stance over time, from the store's history of each stakeholder:
    editing a name or a rating keeps the stance history, and only changes are listed."""
    import pandas as pd  # lazy, as in classified

    rows = []
    for sid, s in named(responses).items():
        history = responses.history("stakeholder", sid)
        last: Any = object()
        note = ""
        for entry in history:
            data = entry.data or {}
            if entry.deleted or data.get("stance") in (None, ""):
                continue
            # The note typed just after a move belongs to that move (it is saved a moment
            # later, as a version of its own); a note left over from an earlier move does not.
            typed = str(data.get("stance_note") or "")
            if data["stance"] != last:
                last = data["stance"]
                rows.append(
                    {
                        "Stakeholder": s["name"],
                        "When": f"{local_time(entry.saved_at):%Y-%m-%d %H:%M}",  # to the minute
                        "Stance": stance_label(last),
                        "Stance score": stance_value(last),
                        "What changed": typed if typed != note else "",
                    }
                )
            elif typed != note and typed and rows:
                rows[-1]["What changed"] = typed
            note = typed
    columns = ["Stakeholder", "When", "Stance", "Stance score", "What changed"]
    return pd.DataFrame(rows, columns=columns)


RING = {"inner": 1.0, "outer": 2.0, "unsure": 2.6}
TEAM_RING = 3.2


def positions(responses: Responses) -> pd.DataFrame:
    """Where each stakeholder sits on the power map: the change at the centre, the inner
    circle (formal power) round it, the outer circle (influence) beyond, the team outside.
    Spread evenly round each ring, so the picture does not change between page loads."""
    import pandas as pd  # lazy, as in classified

    rows = []
    every = named(responses)
    by_ring: dict[str, list[tuple[str, str]]] = {}
    for sid, s in every.items():
        by_ring.setdefault(s.get("circle") or "unsure", []).append((sid, s["name"]))
    linked = set(ties(responses)[["source", "target"]].stack()) if len(ties(responses)) else set()
    team = [(MEMBER + m, n) for m, n in member_names(responses).items() if MEMBER + m in linked]
    if team:
        by_ring["team"] = team
    for ring, members in by_ring.items():
        radius = TEAM_RING if ring == "team" else RING.get(ring, RING["unsure"])
        # Each ring starts at its own angle, so names on different rings do not line up
        # with each other or with the change's label across the middle.
        offset = {"inner": 0.0, "outer": 0.3, "unsure": 0.15, "team": 0.6}.get(ring, 0.0)
        for i, (node, name) in enumerate(members):
            angle = 2 * math.pi * (i + offset) / len(members)
            rows.append(
                {
                    "node": node,
                    "name": name,
                    "ring": ring,
                    "x": round(radius * math.sin(angle), 4),
                    "y": round(radius * math.cos(angle), 4),
                }
            )
    return pd.DataFrame(rows, columns=["node", "name", "ring", "x", "y"])


def power_map_table(responses: Responses) -> pd.DataFrame:
    """The power map as a table, for keyboard and screen-reader users: each stakeholder's
    ring and who they are tied to."""
    import pandas as pd  # lazy, as in classified

    found = ties(responses)
    rows = []
    for sid, s in named(responses).items():
        out = found[found["source"] == sid]
        inward = found[found["target"] == sid]
        rows.append(
            {
                "Stakeholder": s["name"],
                "Circle": CIRCLE_LABELS.get(s.get("circle") or "unsure", ""),
                "Ties out": "; ".join(f"{r.Relationship} {r.To}" for r in out.itertuples()),
                "Ties in": "; ".join(f"{r.From} {r.Relationship}" for r in inward.itertuples()),
            }
        )
    return pd.DataFrame(rows, columns=["Stakeholder", "Circle", "Ties out", "Ties in"])
