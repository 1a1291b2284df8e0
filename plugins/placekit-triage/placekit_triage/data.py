"""Reading the triage exercise's records into the shapes scoring works on (pure)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from placekit import Responses
from placekit_triage.items import ITEM_IDS

if TYPE_CHECKING:
    import pandas as pd


def issues(responses: Responses) -> dict[str, dict[str, Any]]:
    """Issue id -> issue data, in the order they were added."""
    return responses.records("issue")


def confirmed(responses: Responses, member: str | None = None) -> set[str]:
    """The issue ids a member has confirmed on the check-your-answers page."""
    return set(responses.get("submission", "answers", member).get("issues") or [])


def has_confirmed_all(responses: Responses, member: str | None = None) -> bool:
    current = set(issues(responses))
    return bool(current) and current <= confirmed(responses, member)


def late_issues(responses: Responses, member: str | None = None) -> dict[str, dict[str, Any]]:
    """Issues added after the member confirmed the others: the ones they are asked for
    now, their other answers staying locked. Empty until they have confirmed any issue."""
    done = confirmed(responses, member)
    if not done:
        return {}
    return {k: v for k, v in issues(responses).items() if k not in done}


def answered(call: dict[str, Any]) -> bool:
    return all(call.get(item) in (0, 1, 2) for item in ITEM_IDS)


def classifications(responses: Responses) -> pd.DataFrame:
    """Every confirmed member's classification of every current issue (blind answers only
    count once confirmed, so no one's call is shaped by seeing others first)."""
    import pandas as pd  # lazy: only scoring needs it, and every page's kernel loads this

    current = issues(responses)
    rows = []
    for member, calls in responses.all_members("call").items():
        done = confirmed(responses, member)
        for issue_id, call in calls.items():
            if issue_id in current and issue_id in done and answered(call):
                rows.append(
                    {"issue_id": issue_id, "member_id": member, "gut_call": call.get("gut_call")}
                    | {item: int(call[item]) for item in ITEM_IDS}
                    | {"revised_call": call.get("revised_call")}
                )
    columns = ["issue_id", "member_id", "gut_call", *ITEM_IDS, "revised_call"]
    return pd.DataFrame(rows, columns=columns)


def modes(responses: Responses) -> pd.DataFrame:
    import pandas as pd  # lazy, as in classifications

    rows = [
        {"member_id": member, "preferred_mode": records.get("me", {}).get("preferred_mode")}
        for member, records in responses.all_members("mode").items()
    ]
    frame = pd.DataFrame(rows, columns=["member_id", "preferred_mode"])
    return frame.dropna()
