"""The pages Voila serves: the index, the exercise page, results, joining, invalid links.

Each notebook in ``workbooks/`` is one call to a function here. The page shows "Loading"
until the browser has said which link it was opened with (see ``placekit.web.browser``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

import ipywidgets as w

from placekit.data.access import (
    Access,
    InvalidLink,
    Member,
    join,
    link,
    member_by_token,
    resolve,
)
from placekit.data.privacy import DEFAULT_MIN_GROUP, MAX_MIN_GROUP, SPREAD_MIN, check_min_group
from placekit.data.responses import Responses
from placekit.data.store import Store
from placekit.data.upgrade import open_store
from placekit.exercise import Exercise
from placekit.plugins import get_registry, installed_exercises
from placekit.web.browser import BrowserContext
from placekit.web.logs import setup_logging
from placekit.web.results import results_view
from placekit.web.wizard import StepState, Wizard, safe_pages, step_states
from placekit.widgets.html import OOPS, app, button, esc, guarded, html_box

log = logging.getLogger("placekit")

INVALID = (
    "<h1>This link is not valid</h1>"
    "<p>Check that you copied the whole link from your email or message.</p>"
    "<p>If it still does not work, ask your facilitator to send the link again.</p>"
)


def invalid_link() -> w.Widget:
    return app([html_box(INVALID)])


def _message(markup: str) -> w.Widget:
    return app([html_box(markup)])


class Page(w.VBox):
    """Shell shared by the notebooks: waits for the browser, then builds the content."""

    def __init__(self, build: Callable[[dict[str, str], BrowserLink], w.Widget]) -> None:
        setup_logging()
        self.browser = BrowserContext()
        self.content = w.VBox([app([html_box("<p>Loading…</p>")])])
        super().__init__([self.browser, self.content])
        self._build = build
        self._built = False
        self.browser.observe(self._arrived, "connected")

    def _arrived(self, _change: Any) -> None:
        if self._built:
            return
        self._built = True
        query = {k: v[-1] for k, v in parse_qs(self.browser.query).items()}
        self.load(query)

    def load(self, query: dict[str, str]) -> None:
        """Build the page for a query (the browser's, or one given from Python)."""
        try:
            self.content.children = [self._build(query, BrowserLink(self))]
        except InvalidLink:
            self.content.children = [invalid_link()]
        except Exception:
            log.exception("Could not build page for %s", sorted(query))
            self.content.children = [_message(f"<h1>Sorry, there is a problem</h1><p>{OOPS}</p>")]


class BrowserLink:
    """What a page builder may ask of the browser."""

    def __init__(self, page: Page) -> None:
        self._page = page

    @property
    def stored_token(self) -> str:
        """The member token this browser holds (the one just remembered, if any)."""
        return self._page.browser.remember_token or self._page.browser.stored_token

    def remember(self, token: str) -> None:
        self._page.browser.remember_token = token

    def replace(self, widget: w.Widget) -> None:
        self._page.content.children = [widget]


# -- index -------------------------------------------------------------------------------


def index_page(code: str | None = None) -> Page:
    page = Page(_index)
    if code is not None:
        page.load({"code": code})
    return page


def _exercise_list(exercises: dict[str, Exercise], href: Callable[[str], str] | None) -> str:
    items = []
    for ex in exercises.values():
        title = esc(ex.title)
        if href:
            title = f'<a href="{esc(href(ex.id))}">{title}</a>'
        items.append(f"<li><h3>{title}</h3><p>{esc(ex.summary)}</p></li>")
    return f"<ul>{''.join(items)}</ul>" if items else "<p>No exercises are installed.</p>"


def _index(query: dict[str, str], browser: BrowserLink) -> w.Widget:
    registry = get_registry()
    code = query.get("code")
    if not code:
        problems = "".join(f"<li>{esc(p.plugin)}</li>" for p in registry.problems)
        return app(
            [
                html_box(
                    "<h1>PlaceKit</h1><p>Guided workbooks for place-based teams. Open the link"
                    " your facilitator sent you to take part.</p>"
                    f"<h2>Exercises available</h2>{_exercise_list(registry.exercises, None)}"
                    + (
                        '<div class="pk-notice"><p>Some plugins could not be loaded and are'
                        f" not shown:</p><ul>{problems}</ul><p>Run <code>placekit plugins"
                        "</code> for details.</p></div>"
                        if problems
                        else ""
                    )
                )
            ]
        )
    store = open_store(None, installed_exercises)
    access = resolve(store, code)
    heading = f'<span class="pk-caption">{esc(access.title)}</span>'
    if access.role == "facilitator":
        return _facilitator_index(store, access, heading)
    member = _member(store, access, query, browser)
    if member is None:
        return _join_form(
            store, access, browser, on_joined=lambda m: browser.replace(_index(query, browser))
        )
    rows = []
    for ex in registry.exercises.values():
        responses = Responses.for_member(
            store, access.workbook_id, ex, member, exercises=registry.exercises
        )
        pages = safe_pages(ex, responses)
        states = step_states(ex, pages, responses)
        done = sum(s is StepState.COMPLETED for s in states.values())
        status = "Completed" if done == len(states) else f"{done} of {len(states)} steps done"
        rows.append(
            f'<li><span><a href="{esc(link(code, ex.id, base=""))}">{esc(ex.title)}</a>'
            f'</span><span class="pk-tag">{status}</span></li>'
        )
    return app(
        [
            html_box(
                f"{heading}<h1>Your workbook</h1><p>Signed in as <strong>{esc(member.display_name)}"
                "</strong>. Everything you enter is saved as you go: you can leave and come"
                " back to this link at any time.</p>"
                f'<ol class="pk-tasks">{"".join(rows)}</ol>' + _personal_link_note(code, member)
            )
        ]
    )


def _facilitator_index(store: Store, access: Access, heading: str) -> w.Widget:
    registry = get_registry()
    members = store.respondents(access.workbook_id)
    team_code = store.workbook_by_code(access.code)[0]["team_code"]  # type: ignore[index]
    names = "".join(f"<li>{esc(m['display_name'])}</li>" for m in members) or "<li>None yet</li>"
    return app(
        [
            html_box(
                f"{heading}<h1>Facilitator view</h1>"
                "<p>Share the team link with members. Keep this facilitator link to yourself.</p>"
                f'<div class="pk-notice"><p><strong>Team link</strong></p>'
                f"<p><code>{esc(link(team_code))}</code></p></div>"
                + _anonymous_links(registry.exercises, team_code)
                + "<h2>Results by exercise</h2>"
                + _exercise_list(registry.exercises, lambda ex: link(access.code, ex, base=""))
                + f"<h2>Members who have joined ({len(members)})</h2><ul>{names}</ul>"
            ),
            _group_size_form(store, access),
        ]
    )


def _group_size_form(store: Store, access: Access) -> w.Widget:
    """The workbook's k: the fewest people a figure may cover. Raising it (Qualtrics and
    Lattice use 5) withholds more in every exercise's results at once."""
    k = store.min_group(access.workbook_id)
    size = w.BoundedIntText(
        value=k,
        min=DEFAULT_MIN_GROUP,
        max=MAX_MIN_GROUP,
        description="Smallest group shown",
        style={"description_width": "initial"},
    )
    size.add_class("pk-field")
    save = button("Save the group size")
    message = html_box("")

    def explain(k: int) -> str:
        spread = max(SPREAD_MIN, k)
        return (
            "<h2>Small groups</h2><p>Results never show a figure about fewer than"
            f" <strong>{k}</strong> people. Spread (lowest, highest, median, how many gave"
            f" each answer) needs at least {spread}, and so do anonymous comments.</p>"
        )

    intro = html_box(explain(k))

    @guarded(lambda text: setattr(message, "value", f'<div class="pk-warning">{esc(text)}</div>'))
    def on_save(_b: Any) -> None:
        problem = check_min_group(size.value)
        if problem:
            message.value = f'<div class="pk-error" role="alert">{esc(problem)}</div>'
            return
        store.set_min_group(access.workbook_id, int(size.value))
        intro.value = explain(int(size.value))
        message.value = f'<p role="status">Saved: figures now need {int(size.value)} people.</p>'

    save.on_click(on_save)
    return w.VBox([intro, size, save, message])


def _anonymous_links(exercises: dict[str, Exercise], team_code: str) -> str:
    """Links straight to each anonymous exercise: they start without asking for a name
    (the team link's front page asks for one, for the exercises that are not anonymous)."""
    rows = "".join(
        f"<li>{esc(ex.title)}: <code>{esc(link(team_code, ex.id))}</code></li>"
        for ex in exercises.values()
        if ex.anonymity == "anonymous"
    )
    if not rows:
        return ""
    return (
        '<div class="pk-notice"><p><strong>Links for anonymous questionnaires</strong>: these'
        f" open the questionnaire without asking for a name.</p><ul>{rows}</ul></div>"
    )


def _personal_link_note(code: str, member: Member) -> str:
    personal = link(code) + f"&me={member.token}"
    return (
        '<details class="pk-notice"><summary>Using another device?</summary>'
        "<p>This browser remembers you. To carry on from another computer or phone, use your"
        f" personal link (keep it to yourself):</p><p><code>{esc(personal)}</code></p></details>"
    )


# -- joining -----------------------------------------------------------------------------


def _member(
    store: Store, access: Access, query: dict[str, str], browser: BrowserLink
) -> Member | None:
    for token in (query.get("me"), browser.stored_token):
        member = member_by_token(store, access, token)
        if member is not None:
            browser.remember(member.token)
            return member
    return None


def _join_form(
    store: Store,
    access: Access,
    browser: BrowserLink,
    on_joined: Callable[[Member], None],
    allow_anonymous: bool = True,
    ask_name: bool = True,
) -> w.Widget:
    if not ask_name:
        return _anonymous_start(store, access, browser, on_joined)
    name = w.Text(
        description="Your name, as your team will see it",
        style={"description_width": "initial"},
        layout=w.Layout(width="100%"),
    )
    name.add_class("pk-field")
    anonymous = w.Checkbox(
        description="Stay anonymous (your team sees “Anonymous member” and a tree’s name)",
        indent=False,
        style={"description_width": "initial"},
    )
    error = html_box("", "pk-error")
    go = button("Start", "success")
    go.add_class("mod-primary")
    widgets: list[w.Widget] = [
        html_box(
            f'<span class="pk-caption">{esc(access.title)}</span><h1>Join your team’s workbook</h1>'
            "<p>Your answers are saved as you go. This browser will remember you, so you can"
            " close the page and come back to the same link later.</p>"
        ),
        name,
        error,
    ]
    if allow_anonymous:
        widgets.append(anonymous)
    widgets.append(go)
    shell = app(widgets)

    def show(message: str) -> None:
        error.value = f'<span role="alert">{esc(message)}</span>'

    @guarded(show)
    def start(_b: Any) -> None:
        try:
            member = join(store, access, name.value, anonymous=anonymous.value)
        except ValueError as problem:
            show(str(problem))
            name.add_class("pk-field-error")
            return
        browser.remember(member.token)
        on_joined(member)

    go.on_click(start)
    return shell


def _anonymous_start(
    store: Store, access: Access, browser: BrowserLink, on_joined: Callable[[Member], None]
) -> w.Widget:
    """The start of an anonymous exercise: no name is asked for, none is stored."""
    go = button("Start", "success")
    go.add_class("mod-primary")
    error = html_box("", "pk-error")

    @guarded(lambda text: setattr(error, "value", f'<span role="alert">{esc(text)}</span>'))
    def start(_b: Any) -> None:
        member = join(store, access, "", anonymous=True)
        browser.remember(member.token)
        on_joined(member)

    go.on_click(start)
    return app(
        [
            html_box(
                f'<span class="pk-caption">{esc(access.title)}</span><h1>Before you start</h1>'
                "<p>This is anonymous: you are not asked for your name, and no one, your"
                " facilitator included, can see who answered what.</p><p>Your answers are"
                " saved as you go. This browser will remember you, so you can close the page"
                " and come back to the same link later.</p>"
            ),
            error,
            go,
        ]
    )


# -- exercise ----------------------------------------------------------------------------


def exercise_page(code: str | None = None, exercise: str | None = None) -> Page:
    page = Page(_exercise)
    if code is not None:
        page.load({"code": code, "exercise": exercise or ""})
    return page


def _exercise(query: dict[str, str], browser: BrowserLink) -> w.Widget:
    store = open_store(None, installed_exercises)
    access = resolve(store, query.get("code"))
    ex = get_registry().exercises.get(query.get("exercise", ""))
    if ex is None:
        return _message(
            "<h1>This exercise is not available</h1><p>The link may be out of date. Go back to"
            f' <a href="{esc(link(access.code, base=""))}">your workbook</a>.</p>'
        )
    if access.role == "facilitator":
        exercises = get_registry().exercises
        return results_view(Responses(store, access.workbook_id, ex, exercises=exercises), access)
    member = _member(store, access, query, browser)
    if member is None:
        return _join_form(
            store,
            access,
            browser,
            on_joined=lambda m: browser.replace(_wizard(store, access, ex, m)),
            allow_anonymous=ex.anonymity != "named",
            ask_name=ex.anonymity != "anonymous",
        )
    return _wizard(store, access, ex, member)


def _wizard(store: Store, access: Access, ex: Exercise, member: Member) -> w.Widget:
    heading = (
        f'<span class="pk-caption">{esc(access.title)} · {esc(member.display_name)}'
        f' · <a href="{esc(link(access.code, base=""))}">All exercises</a></span>'
        f"<h1>{esc(ex.title)}</h1>"
    )
    responses = Responses.for_member(
        store, access.workbook_id, ex, member, exercises=get_registry().exercises
    )
    return Wizard(ex, responses, heading)
