"""Test helpers for PlaceKit and its plugin authors; a pytest plugin (entry point ``pytest11``).

Fixtures:

- ``placekit_store``: a fresh SQLite database for one test (``PLACEKIT_DB`` points at it).
- ``register_plugin``: register a plugin object for one test; it is removed afterwards.
- ``placekit_workbook``: a workbook in that store, with codes and a way to add members.
- ``exercise_driver``: drive an exercise's pages from Python through the real wizard and
  widgets: fill fields, press Continue, read what was saved.
- ``placekit_server``: a real ``placekit serve`` (Voila) on a free port, for browser tests
  with pytest-playwright's ``page``; ``chromium_launch_args`` points Playwright at a
  system Chromium instead of a downloaded one, and ``join_team`` joins a team in the page
  as a new member does; ``check_accessibility`` runs axe-core on a page and fails on what
  WCAG 2.2 AA does not allow; ``tab_to`` and its kin drive a page by keyboard alone, and
  ``check_reflow`` fails a page that overlaps or scrolls sideways at 320 px.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Coroutine, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import parse_qs, urlencode, urlparse

import pytest

from placekit.data.access import Access, Member, create_workbook, join, resolve
from placekit.data.responses import Responses
from placekit.data.store import Store
from placekit.live import join_codes
from placekit.plugins import Registry, get_plugin_manager, get_registry, reset_registry

if TYPE_CHECKING:
    from placekit.exercise import Exercise, Summary
    from placekit.web.wizard import Wizard

__all__ = [
    "PAGE_KERNEL_ID_JS",
    "ExerciseDriver",
    "Server",
    "ServedWorkbook",
    "TestWorkbook",
    "accessibility_findings",
    "activate",
    "assert_plain_text",
    "charts_of",
    "check_accessibility",
    "check_reflow",
    "choose_radio",
    "choose_radio_by_keyboard",
    "chromium_launch_args",
    "colour_only",
    "continue_refused",
    "exercise_driver",
    "free_port",
    "html_of",
    "join_team",
    "leaks",
    "moved_to",
    "page_kernel_id",
    "page_text",
    "parse_links",
    "placekit_command",
    "placekit_server",
    "placekit_store",
    "placekit_workbook",
    "press",
    "radio_group",
    "reflow_problems",
    "register_plugin",
    "registry",
    "run_apart",
    "running_server",
    "tab_to",
    "type_into",
]

_T = TypeVar("_T")
SERVER_START_TIMEOUT = 90  # seconds until the port answers, on a busy machine
_LINK = re.compile(r"^\s*(Team|Facilitator) link[^:]*:\s*(\S+)\s*$")


# -- the store and plugins ------------------------------------------------------------------


@pytest.fixture
def placekit_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    """A fresh database file for this test, also used by anything that reads PLACEKIT_DB."""
    db = tmp_path / "placekit.db"
    monkeypatch.setenv("PLACEKIT_DB", str(db))
    return Store(db)


@pytest.fixture
def register_plugin() -> Iterator[Callable[..., None]]:
    """``register_plugin(module_or_object, name=...)``: a plugin for this test only."""
    pm = get_plugin_manager()
    added: list[str] = []

    def register(plugin: Any, name: str | None = None) -> None:
        added.append(pm.register(plugin, name=name or f"test-plugin-{len(added)}") or "")
        reset_registry()

    yield register
    for name in added:
        pm.unregister(name=name)
    reset_registry()


def registry() -> Registry:
    """What the installed plugins registered: ``exercises``, ``exporters``, ``templates``,
    ``owners`` (``"exercise:<id>"`` -> the plugin that registered it) and ``problems`` (what
    failed to load, as ``placekit plugins`` shows)."""
    return get_registry()


@dataclass
class TestWorkbook:
    store: Store
    title: str
    team_code: str
    facilitator_code: str
    members: dict[str, Member] = field(default_factory=dict)

    __test__ = False  # not a test class, whatever pytest thinks of the name

    @property
    def access(self) -> Access:
        return resolve(self.store, self.team_code)

    def join(self, name: str, anonymous: bool = False) -> Member:
        """Add a member (or return the one already added under that name)."""
        if name not in self.members:
            self.members[name] = join(self.store, self.access, name, anonymous=anonymous)
        return self.members[name]

    def exercise(self, exercise_id: str) -> Exercise:
        """An installed exercise, by id; the error lists what is installed and why any
        plugin failed to load."""
        loaded = get_registry()
        if exercise_id not in loaded.exercises:
            problems = "; ".join(f"{p.plugin}: {p.message}" for p in loaded.problems)
            raise KeyError(
                f"no exercise {exercise_id!r} is installed (installed: "
                f"{', '.join(sorted(loaded.exercises)) or 'none'}; problems: {problems or 'none'})"
            )
        return loaded.exercises[exercise_id]

    def summary(self, exercise_id: str) -> Summary:
        """The exercise's results as the facilitator's page works them out."""
        responses = self.responses(exercise_id)
        return responses.exercise.summarise(responses)

    def wizard(self, exercise_id: str, member: str) -> Wizard:
        """The real wizard a member (by name) sees for an exercise, its widgets and all."""
        # Lazy, as in ``results``: this module is a pytest plugin loaded by every test run
        # where PlaceKit is installed, and the web shell imports ipywidgets.
        from placekit.web.wizard import Wizard

        return Wizard(self.exercise(exercise_id), self.responses(exercise_id, member), "")

    def results(self, exercise_id: str) -> Any:
        """The facilitator's results page for an exercise, as widgets (see ``html_of``)."""
        from placekit.web.results import results_view  # lazy, as in wizard()

        facilitator = resolve(self.store, self.facilitator_code)
        return results_view(self.responses(exercise_id), facilitator)

    def responses(self, exercise_id: str, member: str | None = None) -> Responses:
        """What is saved for an exercise, as a member (by name) or the facilitator (None)."""
        exercises = get_registry().exercises
        exercise = exercises[exercise_id]
        if member is None:
            return Responses(self.store, self.access.workbook_id, exercise, exercises=exercises)
        return Responses.for_member(
            self.store, self.access.workbook_id, exercise, self.join(member), exercises=exercises
        )


@pytest.fixture
def placekit_workbook(placekit_store: Store) -> TestWorkbook:
    _id, team, facilitator = create_workbook(placekit_store, "Test workbook")
    return TestWorkbook(placekit_store, "Test workbook", team, facilitator)


# -- driving an exercise from Python -------------------------------------------------------


class ExerciseDriver:
    """The real wizard, driven as a member would: fill, press Continue, read the result."""

    def __init__(self, workbook: TestWorkbook, exercise_id: str, member: str) -> None:
        self.workbook = workbook
        self.wizard = workbook.wizard(exercise_id, member)
        self.responses = self.wizard.responses

    @property
    def page(self) -> str:
        """The id of the page on screen."""
        return self.wizard.page.id

    @property
    def errors(self) -> list[str]:
        """What still stops the member going on, as the page lists it."""
        return [error.message for error in self.wizard.errors]

    @property
    def text(self) -> str:
        """All the HTML the page shows (headings, notices, tables)."""
        return html_of(self.wizard)

    def inputs(self) -> dict[str, Any]:
        """The page's inputs by field slot ("record.field"), as the wizard names them."""
        assert self.wizard.context is not None
        return self.wizard.context.inputs

    def fill(self, values: dict[str, Any] | None = None, /, **more: Any) -> ExerciseDriver:
        """Set inputs by slot, as typing or clicking would, and save them."""
        inputs = self.inputs()
        for slot, value in {**(values or {}), **more}.items():
            if slot not in inputs:
                raise KeyError(f"no input {slot!r} on page {self.page!r}: {sorted(inputs)}")
            inputs[slot].value = value
        assert self.wizard.context is not None
        self.wizard.context.flush()
        return self

    def next(self) -> ExerciseDriver:
        """Press Continue (or Confirm); fails the test if the page does not go on (there is
        no Continue to press, or the page shows what stops the member)."""
        if self.wizard.next.disabled:
            raise AssertionError(f"there is no Continue on {self.page!r}")
        self.wizard.next.click()
        if self.shown_errors:
            raise AssertionError(f"Continue did not go on from {self.page!r}: {self.errors}")
        return self

    @property
    def can_continue(self) -> bool:
        """Whether Continue (or Confirm) would go on: nothing on the page stops the member."""
        return self.wizard.can_continue

    @property
    def shown_errors(self) -> list[str]:
        """The errors the page's summary shows (only after a Continue has failed)."""
        return [
            page_text(item) for item in re.findall(r"<li>(.*?)</li>", self.wizard.summary.value)
        ]

    def press(self, label: str) -> ExerciseDriver:
        """Press the page's button labelled ``label`` (exactly), as a member would."""
        press(self.wizard, label)
        return self

    def buttons(self) -> list[str]:
        """The labels of every button on the page, in order."""
        return [b.description for b in _buttons(self.wizard)]

    def back(self) -> ExerciseDriver:
        self.wizard.back.click()
        return self

    def goto(self, page_id: str) -> ExerciseDriver:
        self.wizard.goto(page_id)
        return self

    def saved(self, kind: str, record: str) -> dict[str, Any]:
        """What the store holds for one of this member's (or the team's) records."""
        fresh = Responses(
            self.workbook.store,
            self.responses.workbook_id,
            self.responses.exercise,
            self.responses.member,
            exercises=self.responses.exercises,
        )
        return fresh.get(kind, record)


def _buttons(widget: Any) -> list[Any]:
    import ipywidgets as w  # lazy, as for the wizard: widgets load only where pages are driven

    here = [widget] if isinstance(widget, w.Button) else []
    return here + [b for child in getattr(widget, "children", ()) for b in _buttons(child)]


def press(widget: Any, label: str) -> None:
    """Click the one button labelled ``label`` in a widget tree; fails the test, naming the
    buttons there are, if there is none or several, or if it is disabled."""
    every = _buttons(widget)
    found = [b for b in every if b.description == label]
    if len(found) != 1:
        shown = sorted({b.description for b in every})
        raise AssertionError(f"{len(found)} buttons labelled {label!r} (there are: {shown})")
    if found[0].disabled:
        raise AssertionError(f"the button {label!r} is disabled")
    found[0].click()


def html_of(widget: Any) -> str:
    """Every piece of HTML in a widget tree, in order: what a test reads a page by."""
    found = [str(widget.value)] if isinstance(getattr(widget, "value", None), str) else []
    for child in getattr(widget, "children", ()):
        found.append(html_of(child))
    return "\n".join(found)


# -- what a page says: no internal values in plain sight ---------------------------------

# Each names what a member should never read on a page. "None" followed by a lower-case word
# is English ("None of these"), so it is left alone; so is a file's name ("a_b.csv").
_ITEM = r"""(?:'[^'\n]*'|"[^"\n]*"|-?\d+(?:\.\d+)?|None|True|False)"""
_LEAKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("None", re.compile(r"(?<![\w-])None(?![\w-])(?!\s+[a-z])")),
    ("nan", re.compile(r"(?<![\w-])(?:nan|NaN|NaT|<NA>)(?![\w-])")),
    ("-0.0", re.compile(r"(?<![\w.])[-\u2212]0(?:[.,]0+)?(?![\d.,]*\d)")),
    ("a Python list", re.compile(rf"\[\s*(?:{_ITEM}(?:\s*,\s*{_ITEM})*)?\s*\]")),
    ("a Python dict", re.compile(r"""\{\s*(?:'[^'\n]*'|"[^"\n]*")\s*:""")),
    (
        "an internal name",
        re.compile(r"(?<![\w./@:-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/@-]|\.\w)"),
    ),
)
_HIDDEN = re.compile(r"<(style|script)\b.*?</\1\s*>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")


def page_text(html: str) -> str:
    """The text a reader sees in some HTML: no tags, styles or scripts, entities decoded."""
    import html as markup  # the standard library's, named apart from the argument

    return markup.unescape(_TAG.sub(" ", _HIDDEN.sub(" ", html)))


def leaks(text: str, allow: Sequence[str] = ()) -> list[str]:
    """What in ``text`` (as read on a page) is an internal value rather than plain words:
    ``None``, ``nan``/``NaN``, ``-0.0``, a Python list or dict, or a snake_case name (a
    field's stored name). Each as "what: the text found"; ``allow`` lists texts let pass
    (a team's own snake_case word, say)."""
    found = []
    for what, pattern in _LEAKS:
        for match in pattern.finditer(text):
            if match.group(0) not in allow:
                found.append(f"{what}: {match.group(0)!r}")
    return found


def _shown_text(widget: Any) -> str:
    """The words a widget tree shows: its HTML as read, labels, options' labels and
    buttons, typed text; never a choice's stored value, which the page does not show."""
    import ipywidgets as w  # lazy, as in _buttons

    parts: list[str] = []
    if isinstance(widget, w.HTML | w.HTMLMath | w.Label) or (
        isinstance(getattr(widget, "value", None), str) and not isinstance(widget, w.ValueWidget)
    ):
        parts.append(page_text(str(widget.value)))
    elif isinstance(widget, w.Text | w.Textarea):
        parts.append(widget.value)
    parts.append(page_text(str(getattr(widget, "description", "") or "")))
    parts += [str(label) for label in getattr(widget, "_options_labels", ())]
    parts += [_shown_text(child) for child in getattr(widget, "children", ())]
    return "\n".join(p for p in parts if p)


def assert_plain_text(source: Any, allow: Sequence[str] = ()) -> None:
    """Fail if a page shows an internal value (see ``leaks``). ``source`` is a Playwright
    page or locator (its rendered text), a widget tree (what its widgets show), or HTML
    (``html_of``'s, say)."""
    if hasattr(source, "locator") and hasattr(source, "goto"):  # a Playwright page
        text = source.locator("body").inner_text()
    elif hasattr(source, "inner_text"):  # a Playwright locator
        text = source.inner_text()
    elif isinstance(source, str):
        text = page_text(source)
    else:
        text = _shown_text(source)
    found = leaks(text, allow)
    if found:
        raise AssertionError("the page shows internal values: " + "; ".join(found))


def charts_of(widget: Any) -> list[Any]:
    """Every chart in a widget tree, in order, as Altair charts. A ``Figure`` still waiting
    to be drawn is drawn now, as the page does once it is on screen; one that cannot be
    drawn fails the test."""
    from placekit.widgets.charts import LaterChart  # lazy, as in _buttons

    if isinstance(widget, LaterChart):
        if widget.build() is None:
            raise AssertionError(f"the chart “{widget.figure.description}” could not be drawn")
        return [widget.chart]
    altair = sys.modules.get("altair")  # a live chart means Altair is loaded already
    if altair is not None and isinstance(widget, altair.JupyterChart):
        return [widget.chart]
    return [c for child in getattr(widget, "children", ()) for c in charts_of(child)]


# Channels that show a field without colour: a position, a shape, a dash, words, a panel.
# Not the offsets (which place groups side by side but do not say which is which), nor
# tooltips (a pointer's hover, which a keyboard and a printed page never see).
_TELLS_APART = {"x", "y", "shape", "strokeDash", "text", "row", "column", "facet"}
_COLOURS = {"color", "fill", "stroke"}


def colour_only(chart: Any) -> list[str]:
    """What a chart tells apart by colour alone (WCAG 1.4.1): each categorical field it
    colours by that no other channel of the chart shows too, and each colour it sets by a
    test (``alt.condition``) that nothing else marks. Empty when colour is never alone."""
    spec = chart.to_dict() if hasattr(chart, "to_dict") else chart
    coloured: set[str] = set()
    shown: set[str] = set()

    def visit(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                visit(item)
            return
        if not isinstance(node, dict):
            return
        for channel, encoding in (node.get("encoding") or {}).items():
            for used in encoding if isinstance(encoding, list) else [encoding]:
                if not isinstance(used, dict):
                    continue
                fields = [used.get("field")] if used.get("field") else []
                test = (used.get("condition") or {}).get("test")
                tested = [f"the test {test}"] if isinstance(test, str) else []
                if channel in _COLOURS:
                    if used.get("type") in ("nominal", "ordinal"):
                        coloured.update(fields)
                    coloured.update(tested)
                elif channel in _TELLS_APART:
                    shown.update(fields + tested)
        facet = node.get("facet")
        if isinstance(facet, dict):
            found = [facet, facet.get("row"), facet.get("column")]
            shown.update(f["field"] for f in found if isinstance(f, dict) and "field" in f)
        for key, value in node.items():
            if key not in ("encoding", "data", "datasets"):
                visit(value)

    visit(spec)
    return sorted(coloured - shown)


@pytest.fixture
def exercise_driver(placekit_workbook: TestWorkbook) -> Callable[..., ExerciseDriver]:
    """``exercise_driver("my-exercise", member="Ann")`` opens the exercise as that member."""

    def drive(exercise_id: str, member: str = "Tester") -> ExerciseDriver:
        return ExerciseDriver(placekit_workbook, exercise_id, member)

    return drive


# -- a real server for browser tests -------------------------------------------------------


@dataclass(frozen=True)
class ServedWorkbook:
    title: str
    team_link: str
    facilitator_link: str

    @property
    def team_code(self) -> str:
        return parse_qs(urlparse(self.team_link).query)["code"][0]

    @property
    def facilitator_code(self) -> str:
        return parse_qs(urlparse(self.facilitator_link).query)["code"][0]


def parse_links(output: str) -> list[ServedWorkbook]:
    """Workbooks from the "Title / Team link / Facilitator link" blocks the CLI prints."""
    found: list[ServedWorkbook] = []
    lines = output.splitlines()
    for number, line in enumerate(lines):
        team = _LINK.match(line)
        if not team or team.group(1) != "Team" or number + 1 >= len(lines):
            continue
        facilitator = _LINK.match(lines[number + 1])
        if facilitator and facilitator.group(1) == "Facilitator":
            title = lines[number - 1].strip() if number else ""
            found.append(ServedWorkbook(title, team.group(2), facilitator.group(2)))
    return found


def run_apart(scenario: Callable[[], Coroutine[Any, Any, _T]]) -> _T:
    """Run the coroutine function ``scenario`` to its end on an event loop in a thread of its
    own, and return what it returns. In a test run with browser tests, Playwright's sync API
    keeps an event loop running in the main thread, where ``asyncio.run`` refuses to start."""
    with ThreadPoolExecutor(1) as worker:
        return worker.submit(asyncio.run, scenario()).result()


def placekit_command() -> str:
    """The ``placekit`` console script of the running interpreter's environment."""
    beside = Path(sys.executable).with_name("placekit")
    return str(beside) if beside.exists() else shutil.which("placekit") or "placekit"


@dataclass(frozen=True)
class Server:
    base_url: str
    db: Path | str  # a file, or a database URL
    log: Path
    demo: ServedWorkbook
    command: str = field(default_factory=placekit_command)  # the placekit it runs

    def env(self) -> dict[str, str]:
        return os.environ | {"PLACEKIT_DB": str(self.db), "PLACEKIT_BASE_URL": self.base_url}

    def url(self, page: str, **query: str) -> str:
        return f"{self.base_url}/voila/render/{page}.ipynb?{urlencode(query)}"

    def new_workbook(self, title: str, *options: str) -> ServedWorkbook:
        """Create a workbook with the real ``placekit new``, given its ``options`` (such as
        ``"--exercises", "trust-audit,triage"``)."""
        done = subprocess.run(
            [self.command, "new", title, *options],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"placekit new failed: {done.stderr}")
        (workbook,) = parse_links(done.stdout)
        return workbook

    def log_tail(self, lines: int = 60) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


#: In a Voila page: the id of the page's kernel, or null before Voila has written it.
PAGE_KERNEL_ID_JS = """() => {
  try { return JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId; }
  catch (error) { return null; }
}"""


def page_kernel_id(page: Any) -> str | None:
    """The id of the kernel behind a Playwright ``page`` of a PlaceKit server."""
    return page.evaluate(PAGE_KERNEL_ID_JS)


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server and every process it started (kernels run in sessions of their own,
    so a signal to the process group would miss them)."""
    import psutil  # lazy: only a served workbook's tests need it

    try:
        children = psutil.Process(process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        children = []
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)
    for child in children:
        try:
            child.terminate()
        except psutil.NoSuchProcess:
            pass
    _gone, alive = psutil.wait_procs(children, timeout=10)
    for child in alive:
        try:
            child.kill()
        except psutil.NoSuchProcess:
            pass


@contextmanager
def running_server(
    folder: Path,
    db: Path | str | None = None,
    port: int | None = None,
    options: Sequence[str] = (),
    command: str | None = None,
    base_url: str | None = None,
) -> Iterator[Server]:
    """Run ``placekit serve`` on a free loopback port until the block ends.

    Waits for the port with a TCP connect, never a GET: every GET of a Voila page starts
    a kernel. Pass the ``db`` and ``port`` of an earlier server to restart it as it was
    (a browser keeps a member's identity per address, port included), and ``options`` for
    more of ``placekit serve``'s own (``["--max-kernels", "1"]``); ``command``: another
    install's ``placekit`` script (by default this environment's); ``db``: a database URL
    (PostgreSQL) as well as a file; ``base_url``: the address people use when a proxy is in
    front (``PLACEKIT_BASE_URL``), which links and the ``Server`` then point at.
    """
    command = command or placekit_command()
    db = db or folder / "placekit.db"
    log = folder / f"serve-{time.monotonic_ns()}.log"
    port = port or free_port()
    env = os.environ | {"PLACEKIT_DB": str(db)}
    env.pop("PLACEKIT_BASE_URL", None)
    if base_url:
        env["PLACEKIT_BASE_URL"] = base_url
    with log.open("wb") as out:
        # A file, not a pipe: nobody reads a pipe after start-up, and a full one blocks.
        process = subprocess.Popen(
            [command, "serve", "--port", str(port), *options],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=folder,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while not _port_open(port):
            if process.poll() is not None:
                raise RuntimeError(
                    f"placekit serve exited ({process.returncode}):\n" + log.read_text()
                )
            if time.monotonic() > deadline:
                raise RuntimeError(f"placekit serve did not open port {port}:\n" + log.read_text())
            time.sleep(0.25)
        output = log.read_text(errors="replace")
        workbooks = parse_links(output)
        if not workbooks:
            raise RuntimeError(f"placekit serve printed no links:\n{output}")
        here = base_url or f"http://127.0.0.1:{port}"
        yield Server(here, db, log, workbooks[0], command)
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def placekit_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A real ``placekit serve`` for the whole test session, with a fresh database.

    Installed plugins are found by each new page's kernel, so a plugin installed during
    the session appears without a restart.
    """
    with running_server(tmp_path_factory.mktemp("placekit-serve")) as server:
        yield server


# A cold Voila page is interactive after ~3-5 s; a busy two-core machine can take far longer.
PAGE_LOAD_MS = 60_000


def chromium_launch_args(launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright launch arguments that use a system Chromium when there is one
    (``PLACEKIT_CHROMIUM``, else /usr/bin/chromium), so no browser is ever downloaded.

    In a conftest.py::

        @pytest.fixture(scope="session")
        def browser_type_launch_args(browser_type_launch_args):
            return chromium_launch_args(browser_type_launch_args)
    """
    path = os.environ.get("PLACEKIT_CHROMIUM", "/usr/bin/chromium")
    return {**launch_args, "executable_path": path} if Path(path).exists() else launch_args


def join_team(page: Any, team_link: str, name: str, exercise: str = "") -> None:
    """In a Playwright ``page``, do what a new member does: open the team link, give a
    display name, press Start, and (with ``exercise``, its title) open that exercise."""
    from playwright.sync_api import expect  # lazy: only browser tests have Playwright

    page.goto(team_link)
    box = page.get_by_label("Your name, as your team will see it")
    expect(box).to_be_visible(timeout=PAGE_LOAD_MS)
    box.fill(name)
    page.get_by_role("button", name="Start").click()
    if exercise:
        page.get_by_role("link", name=exercise, exact=True).click()


def run_in_the_room(page: Any, results_link: str) -> str:
    """In a Playwright ``page``, do what a facilitator does to run an exercise live: open
    its facilitator page (``results_link``), press "Run this in the room", and return the
    join code it shows ("K7P-3QX")."""
    from playwright.sync_api import expect  # lazy: only browser tests have Playwright

    page.goto(results_link)
    page.get_by_role("button", name="Run this in the room").click(timeout=PAGE_LOAD_MS)
    shown = page.locator(".pk-join-code [aria-hidden=true]")
    letter = f"[{join_codes.ALPHABET}]"
    expect(shown).to_have_text(re.compile(f"^{letter}{{3}}-{letter}{{3}}$"))
    return shown.inner_text()


def continue_refused(page: Any, *messages: str, button: str = "Continue") -> Any:
    """Press Continue (``button``) on a page not yet done, and check GOV.UK's error pattern:
    the page stays, its error summary ("There is a problem") takes focus and names each of
    ``messages``. Returns the summary, a Playwright locator."""
    from playwright.sync_api import expect  # lazy: only browser tests have Playwright

    page.get_by_role("button", name=button, exact=True).click()
    summary = page.locator(".pk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    for message in messages:
        expect(summary).to_contain_text(message)
    return summary


def moved_to(page: Any, step: str, exercise: str) -> None:
    """Check the page has moved to ``step`` ("Step 2 of 9: Your preferred mode", as the
    page shows it) of ``exercise`` (its title) as a screen reader needs: focus on the new
    page's heading and the tab titled "Step 2 of 9: Your preferred mode – <exercise> –
    PlaceKit"."""
    from playwright.sync_api import expect  # lazy: only browser tests have Playwright

    expect(page.get_by_text(step)).to_be_visible()
    expect(page.locator("h2:focus")).to_have_count(1)
    title = " – ".join([step.split(" — ")[0], exercise, "PlaceKit"])
    expect(page).to_have_title(title)


def radio_group(page: Any, question: str) -> Any:
    """In a Playwright ``page``, the radio buttons whose question reads exactly ``question``
    (fails unless exactly one such question is on the page)."""
    from playwright.sync_api import expect  # lazy: only browser tests have Playwright

    label = page.locator("label.widget-label").filter(
        has_text=re.compile("^" + re.escape(question) + "$")
    )
    group = page.locator(".widget-radio").filter(has=label)
    expect(group).to_have_count(1)
    return group


def choose_radio(page: Any, question: str, answer: str) -> None:
    """Choose ``answer`` to a radio ``question``, as a member clicks it, and check it took."""
    from playwright.sync_api import expect  # lazy: only browser tests have Playwright

    radio = radio_group(page, question).get_by_role("radio", name=answer, exact=True)
    radio.check()
    expect(radio).to_be_checked()


# -- keyboard only ------------------------------------------------------------------------

TAB_LIMIT = 80  # key presses: more than any PlaceKit page has stops between two places


def _focused(locator: Any) -> bool:
    return bool(locator.evaluate("element => element === document.activeElement"))


def tab_to(page: Any, target: Any, backwards: bool = False, limit: int = TAB_LIMIT) -> int:
    """Press Tab (``backwards``: Shift+Tab) until ``target`` (a Playwright locator) has
    focus, as a keyboard user moves round the page; fails if it is not reached within
    ``limit`` presses. Returns the number of presses."""
    key = "Shift+Tab" if backwards else "Tab"
    target.wait_for(state="visible")
    for presses in range(limit + 1):
        if _focused(target):
            return presses
        page.keyboard.press(key)
    raise AssertionError(f"{key} ×{limit} never reached {target}")


def activate(page: Any, target: Any, key: str = "Enter") -> None:
    """Reach ``target`` with Tab and press ``key`` on it (Enter: a link or button; Space
    also presses a button)."""
    tab_to(page, target)
    page.keyboard.press(key)


def type_into(page: Any, target: Any, text: str) -> None:
    """Reach a text box with Tab and type ``text`` into it, key by key."""
    tab_to(page, target)
    page.keyboard.type(text)


def choose_radio_by_keyboard(page: Any, question: str, answer: str) -> None:
    """Choose ``answer`` to a radio ``question`` with the keyboard alone: Tab into the
    group (the browser stops on its chosen option, else its first), then the arrow keys
    (each chooses the option it moves to) or Space (the option already focused)."""
    from playwright.sync_api import expect  # lazy: only browser tests have Playwright

    radios = radio_group(page, question).get_by_role("radio")
    names = [
        label.strip() for label in radios.evaluate_all("rs => rs.map(r => r.labels[0].innerText)")
    ]
    wanted = names.index(answer)
    checked = radios.evaluate_all("rs => rs.findIndex(r => r.checked)")
    tab_to(page, radios.nth(max(checked, 0)))
    if checked == -1 and wanted == 0:
        page.keyboard.press("Space")
    else:
        start = max(checked, 0)
        for _ in range(wanted - start):
            page.keyboard.press("ArrowDown")
        for _ in range(start - wanted):
            page.keyboard.press("ArrowUp")
    expect(radios.nth(wanted)).to_be_checked()


# -- reflow --------------------------------------------------------------------------------

# What may not sit on top of another thing at a narrow width: what a member reads as a
# label and what they type into or press.
_REFLOW_SELECTOR = "label, .widget-label, input, textarea, select, button, a[href], h1, h2, h3"


def reflow_problems(page: Any) -> list[str]:
    """At the page's current width (WCAG 1.4.10 asks for 320 px): each pair of visible
    labels, inputs, buttons, links or headings whose boxes overlap, a label whose text
    spills out of its box, anything running off the screen, and a page that scrolls
    sideways. An empty list when the page reflows. A thing inside another (a radio inside
    its label) is not an overlap; a wide table may scroll inside its own box
    (``.pk-scroll``)."""
    return list(
        page.evaluate(
            """(selector) => {
          const problems = [];
          const visible = [...document.querySelectorAll(selector)].filter((e) => {
            const box = e.getBoundingClientRect();
            const style = getComputedStyle(e);
            return box.width > 2 && box.height > 2 && style.visibility !== "hidden"
              && !e.closest(".pk-visually-hidden, .pk-skip-link, .pk-scroll");
          });
          const name = (e) => e.tagName.toLowerCase() + " “" + (e.innerText || e.value
            || e.getAttribute("aria-label") || "").trim().slice(0, 40) + "”";
          for (let i = 0; i < visible.length; i++) {
            for (let j = i + 1; j < visible.length; j++) {
              const a = visible[i], b = visible[j];
              if (a.contains(b) || b.contains(a)) { continue; }
              if (a.tagName === "LABEL" && a.control === b) { continue; }
              if (b.tagName === "LABEL" && b.control === a) { continue; }
              const p = a.getBoundingClientRect(), q = b.getBoundingClientRect();
              const wide = Math.min(p.right, q.right) - Math.max(p.left, q.left);
              const high = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
              if (wide > 1 && high > 1) { problems.push(name(a) + " overlaps " + name(b)); }
            }
          }
          const width = document.documentElement.clientWidth;
          const cells = document.getElementById("rendered_cells");
          for (const box of [document.documentElement, cells]) {
            if (box && box.scrollWidth > box.clientWidth + 1) {
              problems.push((box.id || "the page") + " scrolls sideways: " +
                box.scrollWidth + " px of content in " + box.clientWidth + " px");
            }
          }
          for (const e of visible) {
            const box = e.getBoundingClientRect();
            if (box.right > width + 1) { problems.push(name(e) + " runs off the screen"); }
            // A label of fixed height whose text wraps spills out, under what follows.
            const style = getComputedStyle(e);
            if (style.overflowY === "visible" && e.scrollHeight > e.clientHeight + 1
                && !["INPUT", "TEXTAREA", "SELECT"].includes(e.tagName)) {
              problems.push(name(e) + " has more text than its box holds");
            }
          }
          return problems;
        }""",
            _REFLOW_SELECTOR,
        )
    )


def check_reflow(page: Any, name: str) -> None:
    """Fail, listing what is wrong, unless the page reflows at its current width."""
    problems = reflow_problems(page)
    assert not problems, f"reflow on {name}:\n" + "\n".join(f"- {p}" for p in problems[:20])


# -- accessibility -------------------------------------------------------------------------

# What a page must never have (WCAG 2.2 AA): axe-core's two worst impacts, and content
# outside every landmark (a moderate finding, but a screen reader's way round the page).
ACCESSIBILITY_BARS = ("critical", "serious")
ACCESSIBILITY_RULES_ALWAYS = ("region",)
AXE_FILE = Path("axe-core") / "axe.min.js"


def axe_script() -> Path:
    """axe-core's script: ``$PLACEKIT_AXE``, else from ``node_modules`` in the folder tests
    run from or its ``tests/browser`` (where PlaceKit's own ``make npm-deps`` puts it)."""
    named = os.environ.get("PLACEKIT_AXE")
    places = [Path(named)] if named else []
    places += [Path.cwd() / "node_modules" / AXE_FILE]
    places += [Path.cwd() / "tests" / "browser" / "node_modules" / AXE_FILE]
    for place in places:
        if place.is_file():
            return place
    raise RuntimeError(
        "axe-core is not installed: run `npm install axe-core` (PlaceKit's own tests:"
        " `make npm-deps`), or point PLACEKIT_AXE at its axe.min.js"
    )


def accessibility_findings(page: Any) -> list[dict[str, Any]]:
    """axe-core's findings on the page as it is now (its ``violations``): every WCAG 2.x
    A and AA rule and axe's best practices, each with its ``impact`` and failing nodes."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_script()))
    result = page.evaluate(
        """() => axe.run(document, {resultTypes: ["violations"]})
             .then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
               nodes: v.nodes.map(n => ({target: n.target, html: n.html.slice(0, 300)}))})))"""
    )
    return list(result)


def check_accessibility(page: Any, name: str) -> dict[str, int]:
    """Run axe-core on the page (``name`` says which, in the output) and fail on any
    critical or serious finding, or content outside the page's landmarks. Prints the count
    of findings by impact and returns it."""
    findings = accessibility_findings(page)
    counts = {impact: 0 for impact in ("critical", "serious", "moderate", "minor")}
    for finding in findings:
        counts[finding["impact"] or "minor"] += len(finding["nodes"])
    print(f"axe-core on {name}: " + ", ".join(f"{n} {impact}" for impact, n in counts.items()))
    failing = [
        f
        for f in findings
        if f["impact"] in ACCESSIBILITY_BARS or f["id"] in ACCESSIBILITY_RULES_ALWAYS
    ]
    assert not failing, f"accessibility on {name}:\n" + "\n".join(
        f"- {f['impact']} {f['id']} ({f['help']}): {node['target']} {node['html']}"
        for f in failing
        for node in f["nodes"][:5]
    )
    return counts
