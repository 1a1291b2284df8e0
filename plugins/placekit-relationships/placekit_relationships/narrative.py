"""Public narrative (Marshall Ganz, section F): pages as thin views over narrative_model."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from placekit import (
    Exercise,
    FieldError,
    Figure,
    Page,
    PageContext,
    Responses,
    Summary,
    button,
    chart_with_table,
    esc,
    offered,
    radar_chart,
    table_html,
)
from placekit_relationships import narrative_model as m

if TYPE_CHECKING:
    import pandas as pd


def _names(responses: Responses) -> dict[str, str]:
    return {p["id"]: p["display_name"] for p in responses.members}


def _draft_fields(ctx: PageContext, names: Sequence[str]) -> list[w.Widget]:
    return [ctx.field("draft", "mine", name, slot=f"mine.{name}") for name in names]


def validate_purpose(responses: Responses) -> list[FieldError]:
    draft = responses.get("draft", "mine")
    return [
        FieldError(f"{label}: this is required", field=f"mine.{name}")
        for name, label, _h in m.PARTS[:2]
        if not str(draft.get(name) or "").strip()
    ]


def validate_feedback(record: str) -> Callable[[Responses], list[FieldError]]:
    def check(responses: Responses) -> list[FieldError]:
        given = responses.get("feedback", record)
        started = any(given.get(i) is not None for i in m.RUBRIC_IDS)
        if not started:
            return []  # listening without scoring is fine; half a scoring is not
        return [
            FieldError(f"Score {i}, or clear your scores", field=f"{record}.{i}")
            for i in m.RUBRIC_IDS
            if given.get(i) not in (1, 2, 3, 4)
        ]

    return check


def build_purpose(ctx: PageContext) -> w.Widget:
    responses = ctx.responses
    issues = offered(responses, "wicked issues")
    hint = (
        '<p class="pk-hint">Your team\'s wicked issues, if one of them is what you want to'
        f" move people on: {esc('; '.join(issues))}</p>"
        if issues
        else ""
    )
    return w.VBox(
        [
            ctx.html(
                "<p>A public narrative links three stories: why <em>I</em> am called to act,"
                " why <em>we</em> are, and why we must act <em>now</em>. You plan it in the"
                " order now, us, self, and tell it self, us, now. Your draft is yours alone"
                f" until you share a version with your team.</p>{hint}"
            ),
            *_draft_fields(ctx, ("purpose", "audience")),
        ]
    )


def build_part(names: Sequence[str], intro: str) -> Callable[[Any], w.Widget]:
    def build(ctx: PageContext) -> w.Widget:
        return w.VBox([ctx.html(f"<p>{intro}</p>"), *_draft_fields(ctx, names)])

    return build


def build_now(ctx: PageContext) -> w.Widget:
    challenge, *rest = _draft_fields(ctx, ("now_challenge", "now_hope", "now_ask"))
    return w.VBox(
        [
            ctx.html("<p>Why must we act now? An urgent challenge, a hope, and an ask.</p>"),
            challenge,
            *suggested_challenges(ctx),
            *rest,
        ]
    )


def suggested_challenges(ctx: PageContext) -> list[w.Widget]:
    """The reframes the team has chosen elsewhere in this workbook (reframing offers them),
    each with a button that puts it into the member's challenge: suggested, never filled in.
    What the member has written stays; a reframe already in it is not offered again."""
    current = ctx.responses.get("draft", "mine").get("now_challenge")
    found = m.unused(current, offered(ctx.responses, "reframes"))
    if not found:
        return []
    parts: list[w.Widget] = [
        ctx.html(
            "<h3>Reframes your team has chosen</h3><p>From elsewhere in this workbook. A"
            " problem put a new way can be the challenge your story of now names. Adding one"
            " puts it after what you have written, for you to edit.</p>"
        )
    ]
    for text in found:
        add = button(f"Add “{text}” to your challenge")

        def added(_b: Any, text: str = text) -> None:
            ctx.flush()  # what was typed a moment ago comes first
            draft = ctx.responses.get("draft", "mine")
            joined = m.with_suggestion(draft.get("now_challenge"), text)
            if ctx.save("draft", "mine", draft | {"now_challenge": joined}):
                ctx.rebuild()

        add.on_click(ctx.guard(added))
        parts.append(add)
    return parts


def build_link(ctx: PageContext) -> w.Widget:
    responses = ctx.responses
    mine = m.versions(responses, responses.member or "")
    share = button("Share this version with the team", "success")
    note = ctx.html(
        f"<p>You have shared {len(mine)} version{'s' if len(mine) != 1 else ''}.</p>"
        if mine
        else "<p>Nothing shared yet.</p>"
    )

    def shared(_b: Any) -> None:
        ctx.flush()
        draft = responses.get("draft", "mine")
        if not str(draft.get("linked_text") or "").strip():
            note.value = '<p class="pk-error" role="alert">Write your linked telling first.</p>'
            return
        number = m.next_version(responses, responses.member or "")
        kept = (*m.STORY_FIELDS, *(f.name for f in m.TIMING_FIELDS))
        record = {name: draft.get(name) for name in kept} | {
            "number": number,
            "shared_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        if ctx.save("version", f"v{number}", record):
            # The timing belongs to the version just shared; the next draft is timed afresh.
            ctx.save("draft", "mine", draft | {"told_in_seconds": None})
            ctx.rebuild()

    share.on_click(ctx.guard(shared))
    from placekit import Stopwatch  # lazy: anywidget loads on this page only, not on every page

    box = ctx.field("draft", "mine", "time_box", slot="mine.time_box")
    draft = responses.get("draft", "mine")
    watch = Stopwatch(
        seconds=draft.get("told_in_seconds") or 0,
        limit_seconds=(draft.get("time_box") or m.DEFAULT_TIME_BOX) * 60,
        start_label="Start timing a practice telling",
    )

    def timed(change: dict[str, Any]) -> None:
        ctx.flush()  # keep what was typed a moment ago
        ctx.save(
            "draft", "mine", responses.get("draft", "mine") | {"told_in_seconds": change["new"]}
        )

    def boxed(change: dict[str, Any]) -> None:
        watch.limit_seconds = (change["new"] or m.DEFAULT_TIME_BOX) * 60

    watch.observe(ctx.guard(timed), "seconds")
    box.children[0].observe(ctx.guard(boxed), "value")
    return w.VBox(
        [
            ctx.html(
                "<p>Link the three parts into one telling: self, then us, then now. Keep it"
                " short enough to tell in a couple of minutes. When it is ready to tell, share"
                " it: your team can then listen and give feedback. Sharing again later keeps"
                " every earlier version.</p>"
            ),
            *_draft_fields(ctx, ("linked_text",)),
            ctx.html(
                "<h3>Practise telling it</h3><p>Tell it aloud, to a colleague or to the room,"
                " and time yourself against the time box your workshop uses.</p>"
            ),
            box,
            watch,
            share,
            note,
        ]
    )


def card(version: dict[str, Any]) -> str:
    """A narrative card: the three stories and the linked telling (escaped)."""

    def box(title: str, names: Sequence[str]) -> str:
        labels = {n: label for n, label, _h in m.PARTS}
        body = "".join(
            f"<p><strong>{esc(labels[n])}</strong><br>{esc(m._text(version.get(n)))}</p>"
            for n in names
            if m._text(version.get(n))
        )
        body = body or "<p>Not written yet.</p>"
        return f'<div class="pk-notice"><h4>{esc(title)}</h4>{body}</div>'

    timing = m.timing_note(version)
    return (
        box("Self", ("self_challenge", "self_choice", "self_outcome", "self_values"))
        + box("Us", ("us_values", "us_story"))
        + box("Now", ("now_challenge", "now_hope", "now_ask"))
        + box("The linked telling", ("linked_text",))
        + (f'<p class="pk-hint">{esc(timing)}</p>' if timing else "")
    )


def build_listen(teller: str, number: int) -> Callable[[Any], w.Widget]:
    record = m.feedback_id(teller, number)

    def build(ctx: PageContext) -> w.Widget:
        version = m.versions(ctx.responses, teller).get(number, {})
        name = _names(ctx.responses).get(teller, "A colleague")
        return w.VBox(
            [
                ctx.html(
                    f"<p>Listen to <strong>{esc(name)}</strong> tell their story (version"
                    f" {number}), then score each part from 1 (not yet) to 4 (strongly)."
                    " Scores are shared as averages per criterion.</p>" + card(version)
                ),
                *(ctx.field("feedback", record, i) for i in m.RUBRIC_IDS),
                ctx.field("feedback", record, "moved"),
                ctx.field("feedback", record, "more"),
            ]
        )

    return build


def build_nobody(ctx: PageContext) -> w.Widget:
    return ctx.html(
        '<div class="pk-notice">No one else has shared a story yet. Come back once they have.</div>'
    )


def build_revise(ctx: PageContext) -> w.Widget:
    responses = ctx.responses
    responses.reload()  # feedback arrives from other people's pages: read it afresh
    mine = m.versions(responses, responses.member or "")
    if not mine:
        return ctx.html('<div class="pk-notice">Share a version first.</div>')
    table = m.criterion_table(responses, responses.member or "")
    means = m.criterion_means(responses, responses.member or "")
    if means:
        radar = Figure(
            lambda: radar_chart(
                m.RUBRIC_SHORT,
                range(1, 5),
                means,
                title="Feedback radar",
                subtitle="Mean score per criterion: 1 (not yet) at the centre, 4 (strongly)"
                " at the rim.",
            ),
            "Your mean feedback score on each criterion, one shape per version: 1 (not yet)"
            " at the centre, 4 (strongly) at the rim. The table under it has the same figures.",
            table="Mean score per criterion (1–4), with n listeners",
        )
        feedback = chart_with_table("Feedback on your story", radar, table)
    else:
        feedback = [ctx.html("<h3>Feedback on your story</h3><p>No feedback yet.</p>")]
    words = _comments(responses, responses.member or "")
    if len(words):
        feedback.append(ctx.html(table_html(words, "What listeners said")))
    numbers = sorted(mine)
    rest = ["<h3>Your versions</h3>"]
    for number in numbers:
        rest.append(f"<h4>Version {number}</h4>" + card(mine[number]))
    if len(numbers) > 1:
        older, newer = mine[numbers[-2]], mine[numbers[-1]]
        removed, added = m.word_changes(
            m._text(older.get("linked_text")), m._text(newer.get("linked_text"))
        )
        rest.append(
            f"<h3>What changed from version {numbers[-2]} to {numbers[-1]}</h3>"
            + table_html(m.compare(older, newer))
            + (f"<p><strong>Taken out:</strong> {esc(' … '.join(removed))}</p>" if removed else "")
            + (f"<p><strong>Put in:</strong> {esc(' … '.join(added))}</p>" if added else "")
        )
    again = button("Revise your draft")
    again.on_click(ctx.guard(lambda _b: ctx.goto("link")))
    return w.VBox(
        [
            ctx.html(
                "<p>Telling, listening, reflecting and retelling: revise your draft with what"
                " you heard, and share it again as a new version.</p>"
            ),
            *feedback,
            ctx.html("".join(rest)),
            again,
        ]
    )


def _comments(responses: Responses, teller: str) -> pd.DataFrame:
    import pandas as pd  # lazy, as in narrative_model.feedback_frame

    rows = []
    for given in responses.all_members("feedback").values():
        for record, scores in given.items():
            who, _sep, number = record.partition("~")
            if who == teller and m.complete(scores):
                rows.append(
                    {"Version": int(number), "What moved me": scores.get("moved") or "",
                     "What I wanted more of": scores.get("more") or ""}
                )  # fmt: skip
    return pd.DataFrame(rows, columns=["Version", "What moved me", "What I wanted more of"])


def build_board(ctx: PageContext) -> w.Widget:
    board = m.shared_values(ctx.responses)
    return ctx.html(
        "<p>The values your team names in its stories of us, from each member's latest"
        " shared version. Values named by several people are the ground you share.</p>"
        + (table_html(board, "Story of us") if len(board) else "<p>None shared yet.</p>")
    )


class PublicNarrative(Exercise):
    id = "narrative"
    title = "Public narrative"
    summary = (
        "Draft your story of self, us and now (Marshall Ganz), tell it to your team, get"
        " feedback on a shared rubric, revise, and find the values your team shares."
    )
    anonymity = "named"
    kinds = m.KINDS
    primary_kind = "version"
    steps = (
        ("purpose", "Purpose and audience"),
        ("now", "Story of now"),
        ("us", "Story of us"),
        ("self", "Story of self"),
        ("link", "Link and share"),
        ("listen", "Listen and give feedback"),
        ("revise", "Feedback and versions"),
        ("board", "Our shared values"),
    )

    def pages(self, responses: Responses) -> Sequence[Page]:
        pages = [
            Page("purpose", "purpose", "Purpose and audience", build_purpose, validate_purpose),
            Page("now", "now", "Story of now", build_now),
            Page("us", "us", "Story of us",
                 build_part(("us_values", "us_story"),
                            "Why are we called to act? The values this audience shares.")),
            Page("self", "self", "Story of self",
                 build_part(("self_challenge", "self_choice", "self_outcome", "self_values"),
                            "Why are you called? A choice point where you learned what moves"
                            " you: specific enough that people get you.")),
            # Not blocking: a member may listen to others before their own telling is
            # ready; sharing is what needs the linked telling (the button says so).
            Page("link", "link", "Link and share", build_link),
        ]  # fmt: skip
        others = m.shared_by_others(responses)
        names = _names(responses)
        for teller, number in others:
            record = m.feedback_id(teller, number)
            pages.append(
                Page(
                    f"listen/{record}",
                    "listen",
                    f"Listen to {names.get(teller, 'a colleague')}",
                    build_listen(teller, number),
                    validate_feedback(record),
                )
            )
        if not others:
            pages.append(Page("listen", "listen", "Listen and give feedback", build_nobody))
        pages += [
            Page("revise", "revise", "Feedback and versions", build_revise),
            Page("board", "board", "Our shared values", build_board),
        ]
        return pages

    def summarise(self, responses: Responses) -> Summary:
        # Drafts are private (filtered by the core); shared versions and feedback are the
        # team's. Feedback is shown as means per criterion with n, never one listener's.
        import pandas as pd  # lazy, as in narrative_model.feedback_frame

        names = _names(responses)
        rows = []
        for teller in sorted({p["id"] for p in responses.members}):
            table = m.criterion_table(responses, teller)
            mine = m.versions(responses, teller)
            if not mine:
                continue
            row: dict[str, Any] = {"Teller": names.get(teller, ""), "Versions": len(mine)}
            if "Coaching focus" in table:
                # The newest version that has feedback, named: a version shared since has
                # none yet, and its teller's mean must not read as that version's.
                latest = [c for c in table.columns if c.endswith(" mean")][-1]
                row["Feedback on version"] = int(latest.split()[1])
                row["Mean score"] = round(float(table[latest].mean()), 2)
                row["Listeners"] = int(table[latest.replace(" mean", " n")].max())
                row["Coaching focus"] = "; ".join(
                    table.loc[table["Coaching focus"] == "yes", "Criterion"].str[:3]
                )
            rows.append(row)
        columns = [
            "Teller",
            "Versions",
            "Feedback on version",
            "Mean score",
            "Listeners",
            "Coaching focus",
        ]
        found = m.feedback_frame(responses)
        # For each teller, the latest version that has had feedback: one current view each.
        newest = found.groupby("teller")["version"].transform("max") if len(found) else []
        latest = found[found["version"] == newest] if len(found) else found
        per_criterion = []
        for cid, text in m.RUBRIC:
            scores = latest[latest["criterion"] == cid]["score"]
            mean = round(float(scores.mean()), 2) if len(scores) else None
            per_criterion.append({"Criterion": f"{cid}. {text}", "Mean": mean, "n": len(scores)})
        return Summary(
            tables={
                # Whole numbers, missing (no feedback yet) as missing: not 1.0 beside NaN.
                "Narratives shared": pd.DataFrame(rows, columns=columns).astype(
                    {"Versions": "Int64", "Feedback on version": "Int64", "Listeners": "Int64"}
                ),
                "Feedback per criterion": pd.DataFrame(per_criterion),
                "Story of us: shared values": m.shared_values(responses),
            }
        )
