"""Public narrative (section F): the records, the rubric and the pure results."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from placekit import Field, RecordKind, Responses

if TYPE_CHECKING:
    import pandas as pd

RUBRIC = (
    ("FB1", "A clear challenge, choice and outcome in the story of self"),
    ("FB2", "Specific detail (a moment, a place, an image), not general statements"),
    ("FB3", "The values behind the story are evident without being lectured"),
    ("FB4", "The “us” is a real group the listeners recognise themselves in"),
    ("FB5", "The now names an urgent challenge and a credible hope"),
    ("FB6", "The ask is specific, achievable and can start now"),
    ("FB7", "The three parts connect: self leads into us leads into now"),
)
RUBRIC_IDS = tuple(i for i, _ in RUBRIC)
# The criteria in a few words, for the spokes of the feedback radar.
RUBRIC_SHORT = (
    ("FB1", "FB1 Challenge, choice, outcome"),
    ("FB2", "FB2 Specific detail"),
    ("FB3", "FB3 Values shown"),
    ("FB4", "FB4 A real us"),
    ("FB5", "FB5 Urgency and hope"),
    ("FB6", "FB6 A clear ask"),
    ("FB7", "FB7 Parts connect"),
)
SCORE = ((1, "1 – not yet"), (2, "2"), (3, "3"), (4, "4 – strongly"))

# (field, label, prompt) in the order the worksheet plans them: now, us, self.
PARTS = (
    ("purpose", "What change are you trying to lead?", ""),
    ("audience", "Who is the “us” you need to move?", "Real people you can reach."),
    ("now_challenge", "The now: what urgent challenge do you care about?",
     "What happens if we don't act?"),
    ("now_hope", "The now: what could it look like if we do act?", ""),
    ("now_ask", "The now: what will you ask people to do, starting today?",
     "Something specific they can start now."),
    ("us_values", "The us: which values, experiences or hopes does this audience share?",
     "One per line, a word or two each."),
    ("us_story", "The us: what story, an event you lived through together, shows them?", ""),
    ("self_challenge", "The self: when did you first start to care? What challenge did you"
     " face?", ""),
    ("self_choice", "The self: what did you choose to do?", ""),
    ("self_outcome", "The self: what happened, and what did you learn?", ""),
    ("self_values", "The self: why are you the one speaking?", ""),
    ("linked_text", "Your linked telling: self, then us, then now",
     "Write it as you would tell it, in a couple of minutes."),
)  # fmt: skip
STORY_FIELDS = tuple(name for name, _l, _p in PARTS)
# Workshops time-box the linked telling; a couple of minutes a story is common (F.3).
TIME_BOXES = tuple((n, f"{n} minutes") for n in (2, 3, 4, 5, 6, 8, 10))
DEFAULT_TIME_BOX = 3
TIMING_FIELDS = (
    Field("time_box", "Time box for the linked telling", type="choice", choices=TIME_BOXES),
    Field("told_in_seconds", "Last practice telling took (seconds)", type="scale", low=1,
          high=24 * 3600),
)  # fmt: skip

DRAFT = RecordKind(
    "draft",
    "member",
    tuple(
        Field(name, label, type="lines" if name == "us_values" else "text", hint=hint)
        for name, label, hint in PARTS
    )
    + TIMING_FIELDS,
    "A member's working draft: theirs alone until they share a version.",
    private=True,
)
VERSION = RecordKind(
    "version",
    "member",
    (
        *(
            Field(name, label, type="lines" if name == "us_values" else "text")
            for name, label, _h in PARTS
        ),
        *TIMING_FIELDS,
        Field("number", "Version", type="scale", low=1, high=1000),
        Field("shared_at", "Shared at"),
    ),  # fmt: skip
    "A version the member shared with the team for feedback (kept as it was).",
)
FEEDBACK = RecordKind(
    "feedback",
    "member",
    (
        *(
            Field(i, f"{i}. {text}", type="scale", low=1, high=4, choices=SCORE)
            for i, text in RUBRIC
        ),
        Field("moved", "What moved me", type="text"),
        Field("more", "What I wanted more of", type="text"),
    ),  # fmt: skip
    "One listener's feedback on one shared version (record id: teller, version).",
)
KINDS = (DRAFT, VERSION, FEEDBACK)


def _words(text: object) -> str:
    """Case, punctuation and spacing folded, to tell whether a text is already in another."""
    return " ".join(re.sub(r"[^\w]+", " ", str(text or "").casefold()).split())


def unused(current: object, suggested: Iterable[str]) -> list[str]:
    """The suggestions (reframes another exercise offers, say) that ``current`` does not
    already contain, in order: one already put in is not suggested again."""
    have = f" {_words(current)} "
    return [text for text in suggested if _words(text) and f" {_words(text)} " not in have]


def with_suggestion(current: object, text: str) -> str:
    """``current`` with ``text`` put in: the whole of it if nothing is written yet, else
    after what is there, as a paragraph of its own, so nothing the member wrote is lost."""
    before = str(current or "").rstrip()
    return f"{before}\n\n{text}" if before else text


def clock(seconds: int) -> str:
    """155 -> "2:35"."""
    return f"{seconds // 60}:{seconds % 60:02d}"


def timing_note(record: dict[str, Any]) -> str:
    """How long the telling took against its time box, in words; "" if it was not timed."""
    told = record.get("told_in_seconds")
    if not isinstance(told, int) or told <= 0:
        return ""
    box = record.get("time_box") or DEFAULT_TIME_BOX
    over = told - box * 60
    against = f"{clock(over)} over" if over > 0 else "within"
    return f"Told in {clock(told)}: {against} a time box of {box} minutes."


def feedback_id(teller: str, number: int) -> str:
    return f"{teller}~{number}"


def versions(responses: Responses, teller: str) -> dict[int, dict[str, Any]]:
    """Version number -> what was shared, oldest first."""
    found = responses.all_members("version").get(teller, {})
    return dict(sorted((int(v["number"]), v) for v in found.values() if v.get("number")))


def next_version(responses: Responses, teller: str) -> int:
    return max(versions(responses, teller), default=0) + 1


def shared_by_others(responses: Responses) -> list[tuple[str, int]]:
    """(teller, latest version) for every other member who has shared a story."""
    found = []
    for m in responses.members:
        mine = versions(responses, m["id"])
        if m["id"] != responses.member and mine:
            found.append((m["id"], max(mine)))
    return found


def complete(scores: dict[str, Any]) -> bool:
    return all(scores.get(i) in (1, 2, 3, 4) for i in RUBRIC_IDS)


def feedback_frame(responses: Responses) -> pd.DataFrame:
    """One row per listener, version and criterion: complete feedback only."""
    import pandas as pd  # lazy: only the feedback, board and results need it

    rows = []
    for listener, given in responses.all_members("feedback").items():
        for record, scores in given.items():
            teller, _sep, number = record.partition("~")
            if teller == listener or not number.isdigit() or not complete(scores):
                continue
            for criterion in RUBRIC_IDS:
                rows.append(
                    {"teller": teller, "version": int(number), "listener": listener,
                     "criterion": criterion, "score": int(scores[criterion])}
                )  # fmt: skip
    return pd.DataFrame(rows, columns=["teller", "version", "listener", "criterion", "score"])


def criterion_table(responses: Responses, teller: str) -> pd.DataFrame:
    """Mean per criterion across listeners with n, for each version; the two lowest of the
    latest version marked as the coaching focus, and the change since the one before."""
    import pandas as pd  # lazy, as in feedback_frame

    found = feedback_frame(responses)
    found = found[found["teller"] == teller]
    numbers = sorted(set(found["version"]))
    rows = []
    for criterion, text in RUBRIC:
        row: dict[str, Any] = {"Criterion": f"{criterion}. {text}"}
        for number in numbers:
            scores = found[(found["version"] == number) & (found["criterion"] == criterion)]
            row[f"Version {number} mean"] = round(float(scores["score"].mean()), 2)
            row[f"Version {number} n"] = len(scores)
        rows.append(row)
    table = pd.DataFrame(rows)
    if numbers:
        latest = f"Version {numbers[-1]} mean"
        lowest = set(table.nsmallest(2, latest, keep="first").index)
        table["Coaching focus"] = ["yes" if i in lowest else "" for i in table.index]
        if len(numbers) > 1:
            before = f"Version {numbers[-2]} mean"
            table["Change"] = (table[latest] - table[before]).round(2)
    return table


def criterion_means(responses: Responses, teller: str) -> dict[str, dict[str, float]]:
    """For the feedback radar: "Version n" -> {criterion id: mean score}, oldest first."""
    found = feedback_frame(responses)
    found = found[found["teller"] == teller]
    means = found.groupby(["version", "criterion"])["score"].mean()
    return {
        f"Version {number}": {c: float(v) for c, v in means.loc[number].items()}
        for number in sorted(set(found["version"]))
    }


def compare(older: dict[str, Any], newer: dict[str, Any]) -> pd.DataFrame:
    """Part by part, what each version said, and whether it changed."""
    import pandas as pd  # lazy, as in feedback_frame

    rows = []
    for name, label, _hint in PARTS:
        a, b = _text(older.get(name)), _text(newer.get(name))
        if a or b:
            rows.append({"Part": label, "Before": a, "After": b,
                         "Changed": "changed" if a != b else ""})  # fmt: skip
    return pd.DataFrame(rows, columns=["Part", "Before", "After", "Changed"])


def word_changes(older: str, newer: str) -> tuple[list[str], list[str]]:
    """(words taken out, words put in) between two tellings."""
    a, b = older.split(), newer.split()
    removed, added = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b).get_opcodes():
        if op in ("delete", "replace"):
            removed.append(" ".join(a[i1:i2]))
        if op in ("insert", "replace"):
            added.append(" ".join(b[j1:j2]))
    return removed, added


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value or "")


def shared_values(responses: Responses) -> pd.DataFrame:
    """The team's story-of-us board: each value named in members' latest shared versions,
    how many members named it (counted once each), most shared first."""
    import pandas as pd  # lazy, as in feedback_frame

    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for m in responses.members:
        mine = versions(responses, m["id"])
        if not mine:
            continue
        seen = set()
        for value in mine[max(mine)].get("us_values") or []:
            key = re.sub(r"\s+", " ", str(value)).strip().casefold()
            if key and key not in seen:
                seen.add(key)
                counts[key] += 1
                shown.setdefault(key, str(value).strip())
    rows = [{"Value": shown[k], "Members naming it": n} for k, n in counts.most_common()]
    return pd.DataFrame(rows, columns=["Value", "Members naming it"])
