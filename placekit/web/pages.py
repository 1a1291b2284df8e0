"""The pages Voila serves: the index, the exercise page, results, joining, invalid links.

Each notebook in ``workbooks/`` is one call to a function here. The page shows "Loading"
until the browser has said which link it was opened with (see ``placekit.web.browser``).

A member's index page also holds their own data (download it, erase it); the
facilitator's holds the workbook's life (how long it is kept, closing, deleting) and its
activity record. A closed workbook's pages are read-only (``ReadOnlyWizard``, ``freeze``),
its results still readable; a member's page open when it closes turns read-only at its
next save (``Wizard``). Every page first runs the daily retention check
(``placekit.data.retention``).
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from typing import Any
from urllib.parse import parse_qs

import ipywidgets as w

from placekit import clock
from placekit.data import activity, erasure, lifecycle, privacy, retention, workbook_design
from placekit.data.access import (
    CODE_SHAPE,
    Access,
    InvalidLink,
    Member,
    is_guest_code,
    join,
    link,
    member_by_token,
    new_code,
    resolve,
    resolve_guest,
)
from placekit.data.design import Design, Openness
from placekit.data.privacy import DEFAULT_MIN_GROUP, MAX_MIN_GROUP, SPREAD_MIN, check_min_group
from placekit.data.responses import Responses
from placekit.data.store import ExerciseClosed, ReadOnlyWorkbook, Store
from placekit.data.upgrade import open_store
from placekit.exercise import Exercise
from placekit.live import blind, sessions
from placekit.live.banner import InTheRoom
from placekit.live.member import MemberRoom
from placekit.live.panel import live_panel
from placekit.live.sessions import RoomState
from placekit.plugins import get_registry, installed_exercises
from placekit.questionnaires.rounds import rounds as questionnaire_rounds
from placekit.web import exercise_dates, workbook_tasks
from placekit.web import wizard as core
from placekit.web.browser import BrowserContext
from placekit.web.design_editor import DesignEditor
from placekit.web.logs import setup_logging
from placekit.web.results import READING_BUTTONS, results_view
from placekit.widgets.confirm import ConfirmBox
from placekit.widgets.download import download_link
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

    def forget(self) -> None:
        """Forget the member this browser remembered (their data has been erased)."""
        self._page.browser.remember_token = ""
        self._page.browser.stored_token = ""


def _open(query: dict[str, str]) -> tuple[Store, Access]:
    """The store and what the link's code opens, after the daily retention check (which
    may delete this very workbook, if it is due: then the link is no longer valid)."""
    store = open_store(None, installed_exercises)
    retention.daily(store)
    return store, resolve(store, query.get("code"))


def _closed_notice(access: Access) -> str:
    if access.closed_at is None:
        return ""
    return (
        '<div class="pk-notice" role="status"><p><strong>This workbook was closed on'
        f" {_day(access.closed_at)}.</strong> Everything in it can still be read, and each"
        " member can still download or erase what they gave, but nothing more can be added"
        " or changed.</p></div>"
    )


def _day(moment: datetime) -> str:
    return f"{clock.local(moment):%-d %B %Y}"


# -- read-only pages of a closed workbook ------------------------------------------------

_watched: weakref.WeakSet[w.Box] = weakref.WeakSet()


def freeze(widget: w.Widget, keep: frozenset[str] = frozenset()) -> None:
    """Disable every input and button inside ``widget`` (but those labelled in ``keep``),
    now and whenever a box inside it is given new children (a page redrawn)."""
    if isinstance(widget, w.Box):
        for child in widget.children:
            freeze(child, keep)
        if widget not in _watched:
            _watched.add(widget)
            widget.observe(lambda change: [freeze(c, keep) for c in change["new"]], "children")
    elif hasattr(widget, "disabled") and getattr(widget, "description", None) not in keep:
        widget.disabled = True


class Wizard(core.Wizard):
    """A member's exercise; read-only (``read_only``) in a closed workbook. (Named as the
    core's wizard it extends: tools and tests find a page's wizard by its class name.)

    A workbook can be closed, or deleted, while a member has its page open: their next
    save is then refused inside its transaction (``ReadOnlyWorkbook``). Every save on the
    page (a field's, a record list's, a plugin's button, the member's place in the pages)
    runs inside a handler made by ``guard``, so ``guard`` is where it is caught: the page
    says so and is read-only from then on, as a closed workbook's pages are. What was
    saved before stays saved; only the refused change is lost, and the page says that.
    """

    def __init__(
        self,
        exercise: Exercise,
        responses: Responses,
        heading: str = "",
        *,
        store: Store | None = None,
        read_only: bool = False,
        room: MemberRoom | None = None,
    ) -> None:
        self.read_only = read_only
        self._store = store  # to say when the workbook was closed, if that happens
        self._notice = ""
        # A live session's room: told the member is in it; tells the page what is held.
        self._room = room
        self._in_room = InTheRoom(on_go=lambda step: self.guard(self._go_to)(step))
        state = room.look(now=True) if room and not read_only else None
        responses.only_own(blind.own_only(exercise, state))  # before any page is built
        super().__init__(exercise, responses, heading, holds=blind.holds(exercise, state))
        if room is not None:
            self.banner.children = [self._in_room]
            room.on_change = self.guard(self._room_changed)  # a save refused is said
            self._in_room.draw(room.state, exercise, self.page.step)

    def guard(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except ExerciseClosed as refused:  # its design closed it: says when, and why
                self._became_read_only(str(refused))
                return None
            except ReadOnlyWorkbook:
                self._became_read_only()
                return None

        return super().guard(run)

    def _go_to(self, step: str) -> None:
        """To the room's step: a held one's first page, which says it opens at the reveal
        and opens there by itself; else as the task list opens a step."""
        if step in self.holds:
            first = next((p for p in self.pages if p.step == step), None)
            if first is not None:
                self.goto(first.id)
            return
        self.open_step(step)

    def _room_changed(self, state: RoomState | None) -> None:
        """The facilitator changed the room (or the session ended): open or close what
        that opens or closes, and show the room's step and timer."""
        if not self.read_only:
            held = bool(self.holds or self.responses.own_only)
            self.hold(blind.holds(self.exercise, state), blind.own_only(self.exercise, state))
            if state is None and held:  # said in place of "revealed": nothing was
                self.set_status("The live session has ended: every step opens as usual.")
        self._in_room.draw(state, self.exercise, self.page.step)

    def _became_read_only(self, closed_exercise: str = "") -> None:
        """The page is read-only from now on: its workbook was closed or deleted, or (with
        the store's reason, ``closed_exercise``) its exercise was closed or taken out."""
        self.read_only = True
        if self._room is not None:
            self._room.close()  # a closed workbook's sessions are over
        found = self._store.workbook(self.responses.workbook_id) if self._store else {}
        if closed_exercise:
            said, more = f"{closed_exercise}.", "A change made after that is not kept."
        elif found is None:
            said, more = "This workbook has been deleted.", "Nothing more can be saved."
        else:
            closed = found.get("closed_at")
            said = f"This workbook was closed{f' on {_day(closed)}' if closed else ''}."
            more = (
                "Your answers up to then are kept, and you can still read them; nothing more"
                " can be saved, so a change made after it closed is not kept."
            )
        self._notice = (
            f'<div class="pk-warning" role="alert"><p><strong>{said}</strong> {more}</p></div>'
        )
        self.problem.value = self._notice
        self.set_status(
            f"Not saved: {'this exercise' if closed_exercise else 'the workbook'} is closed"
        )
        freeze(self.body)
        freeze(self.conflict)
        self.refresh()

    def _remember_position(self) -> None:
        if not self.read_only:  # a closed workbook takes no saves, this one included
            self.guard(super()._remember_position)()

    def show(self, focus: bool = False) -> None:
        if self._room and not self.read_only and self.pages:
            # About to open a step a session could hold: know now whether one is live.
            could_hold = self.pages[self.index].step in self.exercise.held_until_revealed
            state = self._room.look(now=could_hold)
            self.holds = blind.holds(self.exercise, state)
            self.responses.only_own(blind.own_only(self.exercise, state))
        super().show(focus)
        if self.read_only:
            self.problem.value = self._notice
            freeze(self.body)
            freeze(self.conflict)

    def move(self, step: int) -> None:
        if not self.read_only:
            super().move(step)
            return
        # Only between the pages: nothing is checked, confirmed or saved.
        self.pages = self._pages()
        self.index = max(0, min(len(self.pages) - 1, self.index + step))
        self.show(focus=True)

    def refresh(self, announce: bool = False) -> None:
        super().refresh(announce)
        if self._room and not self.read_only:
            self._room.report(self.answered)
            if self._in_room.state != self._room.state:  # a session found, or gone
                self._room_changed(self._room.state)
            else:  # the member moved: "Go to the room's step" is for another step
                self._in_room.draw(self._room.state, self.exercise, self.page.step)
        if self.read_only:
            self.summary.value = ""  # nothing to put right: nothing can be changed
            self.next.description = "Continue"
            self.next.disabled = self.index >= len(self.pages) - 1


class ReadOnlyWizard(Wizard):
    """A closed workbook's exercise, for a member: every page shows what was saved, no
    input can be changed, and Back and Continue only move between the pages (nothing is
    checked, confirmed or saved, the member's place in the pages included)."""

    def __init__(self, exercise: Exercise, responses: Responses, heading: str = "") -> None:
        super().__init__(exercise, responses, heading, read_only=True)


# -- index -------------------------------------------------------------------------------


def index_page(code: str | None = None) -> Page:
    page = Page(_index)
    if code is not None:
        page.load({"code": code})
    return page


NO_EXERCISES = (  # the index page of a kit with no exercise; `placekit plugins` says more
    "No exercises are installed yet. Whoever runs PlaceKit can add them:"
    ' \u201cpip install "placekit[exercises]"\u201d installs PlaceKit\'s own, then restart'
    " the server. The command \u201cplacekit plugins\u201d says more."
)


def _exercise_list(exercises: dict[str, Exercise], href: Callable[[str], str] | None) -> str:
    items = []
    for ex in exercises.values():
        title = esc(ex.title)
        if href:
            title = f'<a href="{esc(href(ex.id))}">{title}</a>'
        items.append(f"<li><h3>{title}</h3><p>{esc(ex.summary)}</p></li>")
    return f"<ul>{''.join(items)}</ul>" if items else f"<p>{esc(NO_EXERCISES)}</p>"


# The page a bare server address leads to (the server redirects its root here).
ABOUT = (
    "<p>PlaceKit is a set of guided workbooks for place-based teams: people from the"
    " council, the NHS, the police, housing and the voluntary sector working together on a"
    " shared local challenge. A workbook takes the team through exercises such as mapping"
    " the place’s assets or sorting its issues into wicked, tame and critical, one question"
    " at a time, and shows the team’s results together.</p>"
    "<h2>Taking part</h2><p>Open the link your facilitator sent you, by email or message: it"
    " opens your team’s workbook. You do not need an account. If you have no link, ask your"
    " facilitator for it.</p>"
)
HOW_TO_GET_A_LINK = (
    "<h2>Running a workbook for a team</h2><p>Whoever runs PlaceKit for your organisation"
    ' makes a workbook with <code>placekit new "Your workbook’s title"</code>, choosing its'
    " exercises with <code>--exercises</code> or a ready design with <code>--template</code>."
    " It prints two links: the team link, for members, and the facilitator link, for you."
    " The facilitator link opens the results and the workbook’s design.</p>"
)

# In a room, the facilitator's screen shows a short join code (placekit.live); the server's
# own /join page takes it (relative: the pages are in voila/render/, under any prefix).
JOIN_FORM = (
    "<h2>Join with a code</h2>"
    '<form class="pk-join-form" action="../../join" method="get">'
    '<p><label for="pk-join-code">The join code on the screen, such as K7P-3QX</label></p>'
    '<p><input id="pk-join-code" name="code" autocomplete="off" autocapitalize="characters"'
    ' spellcheck="false" maxlength="12" required> <button type="submit">Join</button></p>'
    "</form>"
)


def _index(query: dict[str, str], browser: BrowserLink) -> w.Widget:
    registry = get_registry()
    code = query.get("code")
    if not code:
        problems = "".join(f"<li>{esc(p.plugin)}</li>" for p in registry.problems)
        return app(
            [
                html_box(
                    f"<h1>PlaceKit</h1>{ABOUT}"
                    f"{JOIN_FORM}{HOW_TO_GET_A_LINK}"
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
    store, access = _open(query)
    heading = f'<span class="pk-caption">{esc(access.title)}</span>'
    if access.role == "facilitator":
        return _facilitator_index(store, access, heading, browser)
    member = _member(store, access, query, browser)
    if member is None:
        if access.closed:
            return _closed_to_newcomers(access)
        return _join_form(
            store, access, browser, on_joined=lambda m: browser.replace(_index(query, browser))
        )
    design = workbook_design.current(store, access.workbook_id, registry.exercises).design
    now = datetime.now(UTC)
    tasks = [
        workbook_tasks.task(
            registry.exercises[ex],
            design,
            now,
            link(code, ex, base=""),
            Responses.for_member(
                store,
                access.workbook_id,
                registry.exercises[ex],
                member,
                exercises=registry.exercises,
            ),
        )
        for ex in design.shown(registry.exercises)
    ]
    titles = {t.exercise.id: t.exercise.title for t in tasks}  # the workbook's, installed
    live = [
        f'<li><a href="{esc(link(code, s.exercise, base=""))}">Join the room: '
        f"{esc(titles[s.exercise])}</a></li>"
        for s in sessions.live_now(store, access)
        if s.exercise in titles
    ]
    live_now = (
        f'<div class="pk-notice"><h2>Live in the room now</h2><ul>{"".join(live)}</ul></div>'
        if live
        else ""
    )
    saving = (
        ""
        if access.closed
        else " Everything you enter is saved as you go: you can leave and come back to this"
        " link at any time."
    )
    return app(
        [
            html_box(
                f"{heading}<h1>Your workbook</h1>{_closed_notice(access)}"
                f"{workbook_tasks.welcome_html(design.welcome)}<p>Signed in as"
                f" <strong>{esc(member.display_name)}</strong>.{saving}</p>{live_now}"
                + workbook_tasks.task_list(tasks)
                + _personal_link_note(code, member)
            ),
            _own_data_panel(store, access, member, browser),
        ]
    )


def _closed_to_newcomers(access: Access) -> w.Widget:
    closed = f" on {_day(access.closed_at)}" if access.closed_at else ""
    return _message(
        f'<span class="pk-caption">{esc(access.title)}</span><h1>This workbook is closed</h1>'
        f"<p>It was closed{closed} and no longer takes new members. If you took part, open"
        " it in the browser you used, or with your personal link, to read it and to"
        " download or erase what you gave.</p>"
    )


# -- a member's own data -----------------------------------------------------------------

ERASE_EXPLAINED = (
    "<p>Erasing deletes, for good, everything you gave this workbook: every version of your"
    " own answers and records, the answers your link unlocks in anonymous questionnaires,"
    " the team records that only you worked on, and your name and membership.</p>"
    "<p>It cannot be undone, and it does not reach everything:</p><ul>"
    "<li>team records that others also worked on stay, as the team’s, with your name"
    " taken off;</li>"
    "<li>the team’s results are worked out again without your answers, but results"
    " already downloaded or printed, and the server’s backups made before today, are not"
    " changed (backups are destroyed on the schedule your organisation sets);</li>"
    "<li>what others typed about you stays;</li>"
    "<li>your personal link and this browser will no longer open your pages. If you join"
    " again, you start afresh.</li></ul>"
)


def _own_data_panel(store: Store, access: Access, member: Member, browser: BrowserLink) -> w.Widget:
    """Download everything the member gave (JSON and CSV), or erase it."""
    intro = html_box(
        "<h2>Your data</h2><p>Download everything you have given this workbook: every"
        " version of your answers and records, the answers your link unlocks in anonymous"
        " questionnaires, and what you typed into the team’s records.</p>"
    )
    files = html_box("")
    prepare = button("Prepare my download")
    erase = button("Erase my data", "danger")
    erase.add_class("mod-danger")
    message = html_box("")

    def show(text: str) -> None:
        message.value = f'<div class="pk-warning" role="alert">{esc(text)}</div>'

    confirm = ConfirmBox(guarded(show))

    @guarded(show)
    def on_prepare(_b: Any) -> None:
        mine = erasure.own_data(store, access, member, get_registry().exercises)
        name = f"placekit-my-data-{mine.made_at:%Y-%m-%d}"
        files.value = (
            '<p role="status">Your download is ready:'
            f" {lifecycle.counted(len(mine.records), 'saved version')}.</p><p>"
            + download_link(f"{name}.json", "application/json", mine.as_json(), "My data (JSON)")
            + download_link(f"{name}.csv", "text/csv", mine.as_csv(), "My data (CSV)")
            + "</p>"
        )
        activity.record(store, access.workbook_id, privacy.TEAM, "own-data-downloaded")

    def erase_now() -> None:
        done = erasure.erase(store, access, member)
        browser.forget()
        kept = (
            f" {done.kept_unnamed} versions of team records that others also worked on stay,"
            " with your name taken off."
            if done.kept_unnamed
            else ""
        )
        gone = lifecycle.counted(done.records + done.anonymous, "saved version")
        browser.replace(
            _message(
                f'<span class="pk-caption">{esc(access.title)}</span>'
                "<h1>Your data has been erased</h1><p>Everything you gave this workbook has"
                f" been deleted: {gone}.{esc(kept)} This browser no longer remembers you.</p>"
            )
        )

    @guarded(show)
    def on_erase(_b: Any) -> None:
        confirm.ask(
            "Erase everything you gave this workbook? This cannot be undone.",
            "Erase everything I gave",
            guarded(show)(erase_now),
        )

    prepare.on_click(on_prepare)
    erase.on_click(on_erase)
    return w.VBox(
        [
            intro,
            prepare,
            files,
            html_box(f"<h3>Erase your data</h3>{ERASE_EXPLAINED}"),
            erase,
            confirm,
            message,
        ]
    )


def _facilitator_index(
    store: Store, access: Access, heading: str, browser: BrowserLink
) -> w.Widget:
    registry = get_registry()
    members = store.respondents(access.workbook_id)
    team_code = store.workbook_by_code(access.code)[0]["team_code"]  # type: ignore[index]
    names = "".join(f"<li>{esc(m['display_name'])}</li>" for m in members) or "<li>None yet</li>"
    design = workbook_design.current(store, access.workbook_id, registry.exercises).design
    shown = {ex: registry.exercises[ex] for ex in design.shown(registry.exercises)}
    share = (
        ""
        if access.closed
        else "<p>Share the team link with members. Keep this facilitator link to yourself.</p>"
        f'<div class="pk-notice"><p><strong>Team link</strong></p>'
        f"<p><code>{esc(link(team_code))}</code></p></div>" + _anonymous_links(shown, team_code)
    )
    results = html_box(_results_list(access, design, registry.exercises))
    group = (
        html_box(
            f"<h2>Small groups</h2><p>Results never show a figure about fewer than"
            f" <strong>{store.min_group(access.workbook_id)}</strong> people.</p>"
        )
        if access.closed
        else _group_size_form(store, access)
    )
    editor: list[w.Widget] = []
    if not access.closed:

        def changed(new: Design) -> None:
            results.value = _results_list(access, new, registry.exercises)

        editor = [
            DesignEditor(
                store,
                access.workbook_id,
                access.title,
                registry.exercises,
                registry.templates,
                changed,
            )
        ]
    return app(
        [
            html_box(f"{heading}<h1>Facilitator view</h1>{_closed_notice(access)}" + share),
            results,
            *editor,
            html_box(f"<h2>Members who have joined ({len(members)})</h2><ul>{names}</ul>"),
            group,
            _life_panel(store, access, browser),
            html_box(_activity_html(store, access)),
        ]
    )


# -- the workbook's life: how long it is kept, closing, deleting ---------------------------

#: The periods a facilitator can choose from (months after closing; None: until deleted).
RETENTION_CHOICES = (None, 1, 3, 6, 12, 24, 36, 60, 84, 120)


def _life_panel(store: Store, access: Access, browser: BrowserLink) -> w.Widget:
    """The workbook's state, how long it is kept, and the Close and Delete actions."""
    state_box = html_box("")
    message = html_box("")

    def show(text: str) -> None:
        message.value = f'<div class="pk-warning" role="alert">{esc(text)}</div>'

    confirm = ConfirmBox(guarded(show))

    def workbook() -> dict[str, Any]:
        found = store.workbook(access.workbook_id)
        if found is None:
            raise InvalidLink
        return found

    def draw_state() -> lifecycle.State:
        state = lifecycle.state(workbook())
        state_box.value = f"<h2>This workbook</h2><p>{esc(state.describe())}</p>"
        return state

    state = draw_state()
    months = state.retention_months
    options = [(_keep_label(m), m) for m in RETENTION_CHOICES]
    if months not in RETENTION_CHOICES:
        options.append((_keep_label(months), months))
    keep = w.Dropdown(
        options=options,
        value=months,
        description="How long to keep it after it is closed",
        style={"description_width": "initial"},
    )
    keep.add_class("pk-field")
    save_keep = button("Save how long it is kept")
    close = button("Close the workbook")
    delete = button("Delete the workbook", "danger")
    delete.add_class("mod-danger")

    @guarded(show)
    def on_keep(_b: Any) -> None:
        lifecycle.set_retention(store, access.workbook_id, keep.value, privacy.FACILITATOR)
        draw_state()
        message.value = (
            f'<p role="status">Saved: it will be {esc(lifecycle.keeping(keep.value))}.</p>'
        )

    def close_now() -> None:
        lifecycle.close(store, access.workbook_id, privacy.FACILITATOR)
        # The whole page again, as it now is: read-only.
        browser.replace(_index({"code": access.code}, browser))

    @guarded(show)
    def on_close(_b: Any) -> None:
        after = lifecycle.keeping(workbook()["retention_months"])  # as saved
        confirm.ask(
            "Close this workbook for good? Everyone can still read it, members can still"
            " download or erase what they gave, and you can still read and download the"
            " results; but nothing more can be added or changed, no one new can join, and"
            f" it cannot be reopened. It will then be {after}.",
            "Close it for good",
            guarded(show)(close_now),
        )

    def delete_now() -> None:
        lifecycle.delete(store, access.workbook_id, privacy.FACILITATOR)
        browser.replace(
            _message(
                "<h1>The workbook has been deleted</h1><p>Everything in it has been deleted:"
                " its members, every version of every record and answer, its imported files"
                " and its activity record. Its links no longer open anything.</p>"
            )
        )

    @guarded(show)
    def on_delete(_b: Any) -> None:
        confirm.ask(
            f"Delete “{access.title}” and everything in it, now? This removes every member,"
            " every version of every record and answer, its imported files and its activity"
            " record, and its links will open nothing. It cannot be undone: only backups"
            " made before keep it, until they are destroyed.",
            "Delete everything now",
            guarded(show)(delete_now),
        )

    save_keep.on_click(on_keep)
    close.on_click(on_close)
    delete.on_click(on_delete)
    actions = [delete] if access.closed else [close, delete]
    return w.VBox([state_box, keep, save_keep, w.HBox(actions), confirm, message])


def _keep_label(months: int | None) -> str:
    if months is None:
        return "Until someone deletes it"
    return f"{lifecycle.counted(months, 'month')} after it is closed"


def _activity_html(store: Store, access: Access) -> str:
    """The activity record, newest first, with the rounds' own openings and closings."""
    found = activity.events(store, access.workbook_id, limit=300)
    for ex in get_registry().exercises.values():
        if getattr(ex, "questionnaire", None) is None:
            continue
        try:
            for rnd in questionnaire_rounds(Responses(store, access.workbook_id, ex)):
                for stamp, action in (
                    (rnd.opened_at, "round-opened"),
                    (rnd.closed_at, "round-closed"),
                ):
                    if stamp:
                        at = datetime.fromisoformat(stamp)
                        what = f"round {rnd.number} of {ex.title}"
                        found.append(activity.Event(at, privacy.FACILITATOR, action, what))
        except Exception:
            log.exception("Could not read the rounds of %r for the activity record", ex.id)
    found.sort(key=lambda e: e.at, reverse=True)
    if not found:
        rows = "<p>Nothing yet.</p>"
    else:
        body = "".join(
            f"<tr><td>{esc(e.when)}</td><td>{esc(e.actor)}</td><td>{esc(e.what)}</td></tr>"
            for e in found
        )
        rows = (
            '<table class="pk-table"><thead><tr><th scope="col">When</th>'
            '<th scope="col">Through</th><th scope="col">What</th></tr></thead>'
            f"<tbody>{body}</tbody></table>"
        )
    return (
        "<h2>Activity</h2><p>What has been done in this workbook and through which link or"
        " tool. It never says which member did something, and for what members do it keeps"
        " only the day.</p>" + rows
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
        activity.record(
            store, access.workbook_id, privacy.FACILITATOR, "group-size-set", str(int(size.value))
        )
        intro.value = explain(int(size.value))
        message.value = f'<p role="status">Saved: figures now need {int(size.value)} people.</p>'

    save.on_click(on_save)
    return w.VBox([intro, size, save, message])


def _results_list(access: Access, design: Design, exercises: dict[str, Exercise]) -> str:
    """Each exercise's results page, in the members' order, then those taken out."""

    def href(ex: str) -> str:
        return link(access.code, ex, base="")

    shown = {ex: exercises[ex] for ex in design.shown(exercises)}
    out = {ex: exercises[ex] for ex in design.removed if ex in exercises}
    return (
        "<h2>Results by exercise</h2>"
        + (_exercise_list(shown, href) if shown else "<p>None in this workbook yet.</p>")
        + (
            "<h3>Taken out of the workbook</h3><p>Members no longer see these; what was saved"
            f" in them is kept.</p>{_exercise_list(out, href)}"
            if out
            else ""
        )
    )


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
    question = w.VBox([name, error])
    question.add_class("pk-question")
    go = button("Start", "success")
    go.add_class("mod-primary")
    widgets: list[w.Widget] = [
        html_box(
            f'<span class="pk-caption">{esc(access.title)}</span><h1>Join your team’s workbook</h1>'
            "<p>Your answers are saved as you go. This browser will remember you, so you can"
            " close the page and come back to the same link later.</p>"
        ),
        question,
    ]
    if allow_anonymous:
        widgets.append(anonymous)
    widgets.append(go)
    shell = app(widgets)
    shell.add_class("pk-form")  # Enter in the name box presses Start (the page's script)

    def show(message: str) -> None:
        error.value = f'<span role="alert">{esc(message)}</span>'

    @guarded(show)
    def start(_b: Any) -> None:
        try:
            member = join(store, access, name.value, anonymous=anonymous.value)
        except (ValueError, ReadOnlyWorkbook) as problem:
            show(str(problem))
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
        try:
            member = join(store, access, "", anonymous=True)
        except ReadOnlyWorkbook as problem:
            error.value = f'<span role="alert">{esc(problem)}</span>'
            return
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
    if is_guest_code(query.get("code")):
        return _guest(query, browser)
    store, access = _open(query)
    ex = get_registry().exercises.get(query.get("exercise", ""))
    if ex is None:
        return _message(
            "<h1>This exercise is not available</h1><p>The link may be out of date. Go back to"
            f' <a href="{esc(link(access.code, base=""))}">your workbook</a>.</p>'
        )
    if access.role == "facilitator":
        exercises = get_registry().exercises
        activity.record(store, access.workbook_id, privacy.FACILITATOR, "results-opened", ex.title)

        def downloaded(what: str) -> None:
            activity.record(store, access.workbook_id, privacy.FACILITATOR, "downloaded", what)

        responses = Responses(store, access.workbook_id, ex, exercises=exercises)
        live = None if access.closed else live_panel(store, access, responses)
        view = results_view(responses, access, on_download=downloaded, live=live)
        if not access.closed:
            design = workbook_design.current(store, access.workbook_id, exercises).design
            notice = exercise_dates.for_facilitator(ex, design)
            return w.VBox([app([html_box(notice)]), view]) if notice else view
        freeze(view, READING_BUTTONS)
        return w.VBox([app([html_box(_closed_notice(access))]), view])
    design = workbook_design.current(store, access.workbook_id, get_registry().exercises).design
    caption = f'<span class="pk-caption">{esc(access.title)}</span>'
    shut = exercise_dates.not_open(ex, design, link(access.code, base=""))
    if shut:
        return _message(caption + shut)
    member = _member(store, access, query, browser)
    if member is None:
        if access.closed:
            return _closed_to_newcomers(access)
        if design.openness(ex.id, datetime.now(UTC)) is Openness.CLOSED:
            return _message(caption + exercise_dates.closed_to_newcomers(ex, design))
        return _join_form(
            store,
            access,
            browser,
            on_joined=lambda m: browser.replace(_wizard(store, access, ex, m, design)),
            allow_anonymous=ex.anonymity != "named",
            ask_name=ex.anonymity != "anonymous",
        )
    return _wizard(store, access, ex, member, design)


def _wizard(store: Store, access: Access, ex: Exercise, member: Member, design: Design) -> w.Widget:
    heading = (
        f'<span class="pk-caption">{esc(access.title)} · {esc(member.display_name)}'
        f' · <a href="{esc(link(access.code, base=""))}">All exercises</a></span>'
        f"<h1>{esc(ex.title)}</h1>"
    )
    responses = Responses.for_member(
        store, access.workbook_id, ex, member, exercises=get_registry().exercises
    )
    if access.closed:
        wizard: Wizard = ReadOnlyWizard(ex, responses, heading + _closed_notice(access))
    elif design.openness(ex.id, datetime.now(UTC)) is Openness.CLOSED:
        wizard = ReadOnlyWizard(ex, responses, heading + exercise_dates.closed_notice(ex, design))
    else:
        until = design.window(ex.id).describe(datetime.now(UTC))  # "Open until Thursday 14 May"
        heading += f'<p class="pk-hint"><strong>{esc(until)}</strong></p>' if until else ""
        room = MemberRoom(store, access, ex, member)
        wizard = Wizard(ex, responses, heading, store=store, room=room)
    wizard.set_home(link(access.code, base=""))  # the last page's way back to all exercises
    return wizard


# -- a guest: someone outside the team, invited into one exercise (a 360's rater) ----------

GUEST_INVALID = (
    "<h1>This link is not valid</h1>"
    "<p>Check that you copied the whole link from the email or message you were sent.</p>"
    "<p>If it still does not work, ask the person who sent it for the link again.</p>"
)


def _guest(query: dict[str, str], browser: BrowserLink) -> w.Widget:
    """An exercise opened by a guest link (``Responses.guest_link``), as the exercise's
    ``guest_view`` shows it. A guest is no member and nothing about them is stored: their
    secret stays in their browser, and their answers are filed under the respondent key
    it makes, as a member's are in an anonymous exercise."""
    store = open_store(None, installed_exercises)
    retention.daily(store)
    exercises = get_registry().exercises
    ex = exercises.get(query.get("exercise", ""))
    try:
        if ex is None or not privacy.is_anonymous(ex):
            raise InvalidLink
        guest = resolve_guest(store, query.get("code"), ex.id)
        view = ex.guest_view(guest)  # a plugin's; if it raises, Page.load says so plainly
        if view is None:
            raise InvalidLink
    except InvalidLink:
        return _message(GUEST_INVALID)
    design = workbook_design.current(store, guest.access.workbook_id, exercises).design
    if not guest.access.closed and design.openness(ex.id, datetime.now(UTC)) is not Openness.OPEN:
        return _message(
            f'<span class="pk-caption">{esc(guest.access.title)}</span>'
            "<h1>This is not taking answers now</h1><p>The person who sent you the link can"
            " tell you when it is open.</p>"
        )
    if guest.access.closed:
        return _message(
            f'<span class="pk-caption">{esc(guest.access.title)}</span>'
            "<h1>This workbook is closed</h1><p>It takes no more answers. Thank you all the"
            " same.</p>"
        )
    token = browser.stored_token
    if not CODE_SHAPE.match(token or ""):
        token = new_code()
    browser.remember(token)
    responses = Responses.for_member(
        store, guest.access.workbook_id, view, Member("", "", True, token), exercises=exercises
    )
    heading = f'<span class="pk-caption">{esc(guest.access.title)}</span><h1>{esc(view.title)}</h1>'
    return Wizard(view, responses, heading, store=store)
