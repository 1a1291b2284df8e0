"""The ``placekit`` command: run the workbooks, make and look after workbooks and their data,
and list or create exercise plugins."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import socket
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from placekit import clock
from placekit.data import activity, lifecycle, privacy
from placekit.data.access import (
    CODE_SHAPE,
    SERVER_URL,
    Access,
    InvalidLink,
    base_url,
    create_workbook,
    link,
    resolve,
)
from placekit.data.design import Design, implicit, unknown
from placekit.data.export import export_files
from placekit.data.store import Store
from placekit.data.templates import Template, TemplateError
from placekit.data.templates import read as read_template
from placekit.data.upgrade import open_store
from placekit.errors import PlaceKitError
from placekit.plugins import get_registry, installed_exercises
from placekit.web.hub import SIGN_IN, service_from_env

DEFAULT_PORT = 8866

# Exit statuses: argparse's own 2 is for a command line it cannot read; a command that was
# understood but could not be done (a busy port, an unknown code, a file in the way) is 1.
FAILED = 1


# What `placekit plugins` says when no exercise is installed.
HOW_TO_INSTALL_EXERCISES = (
    'No exercises are installed. `pip install "placekit[exercises]"` installs all of'
    " PlaceKit's own (in its source, `make setup` does; `pip install ./plugins/placekit-triage`"
    " installs one); another exercise is a `pip install` of its package."
    " Then restart `placekit serve`."
)

if TYPE_CHECKING:
    from placekit.data.erasure import NamedPlan
    from placekit.web.capacity import RoomPlan


def _links(title: str, team: str, facilitator: str, base: str, state: str = "") -> str:
    # The title stays just above the team link: placekit.testing.parse_links reads it so.
    return (
        f"{title}\n"
        f"  Team link (send to members):       {link(team, base=base)}\n"
        f"  Facilitator link (keep to yourself): {link(facilitator, base=base)}\n"
        + (f"  State: {state}\n" if state else "")
    )


def _workbook_links(workbook: dict[str, Any], base: str) -> str:
    state = lifecycle.state(workbook).line
    return _links(
        workbook["title"], workbook["team_code"], workbook["facilitator_code"], base, state
    )


def _facilitator(store: Store, code: str, command: str) -> Access | None:
    """The workbook a facilitator code opens, or None having said why not."""
    try:
        access = resolve(store, code)
    except InvalidLink:
        access = None
    if access is None or access.role != "facilitator":
        print(
            f"placekit {command}: that is not a workbook's facilitator code (the code in its"
            " facilitator link)",
            file=sys.stderr,
        )
        return None
    return access


def _port_taken(host: str, port: int) -> bool:
    """Whether something already listens on the port (another PlaceKit, say)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


# Each command imports what only it needs, lazily: `placekit list` or `placekit --help`
# should not wait for the web shell, the demo's answers or the scaffold's templates.


def cmd_serve(args: argparse.Namespace) -> int:
    from placekit.data import retention  # lazy, as every command's own imports
    from placekit.dev.demo import seed_demo
    from placekit.web.capacity import default_max_kernels, plan_room
    from placekit.web.serve import pages, voila_command, voila_env

    hub = service_from_env(os.environ)  # JupyterHub runs PlaceKit as a service
    if args.hub_sign_in and (hub is None or not os.environ.get("JUPYTERHUB_API_TOKEN")):
        print(
            "placekit serve: --hub-sign-in works when JupyterHub runs PlaceKit as a service"
            " (see docs/deploy.md); this server was not started by a JupyterHub.",
            file=sys.stderr,
        )
        return FAILED
    args.host = args.host or (hub.host if hub else "127.0.0.1")
    args.port = args.port or (hub.port if hub else DEFAULT_PORT)
    prefix = hub.prefix if hub else "/"
    if _port_taken(args.host, args.port):
        # Voila would quietly move to the next port while these links pointed at this one.
        print(
            f"placekit serve: port {args.port} is already in use (is PlaceKit already"
            f" running?). Stop that server, or choose another port: placekit serve --port"
            f" {args.port + 1}",
            file=sys.stderr,
        )
        return FAILED
    store = open_store(None, installed_exercises)
    # Retention is enforced here, before Voila starts, and then daily by the pages' kernels
    # (placekit.data.retention explains why there, not in a thread of this process).
    for gone in retention.enforce(store):
        print(f"Deleted “{gone.title}”: its retention period after closing had run out.")
    # `placekit new` and `list` in another terminal print links to this server, or to the
    # address people use when a proxy is in front (of this server and perhaps others).
    here = (
        os.environ.get("PLACEKIT_BASE_URL")
        or (hub and hub.public_url)
        or f"http://{args.host}:{args.port}{prefix.rstrip('/')}"
    )
    if hub and not (os.environ.get("PLACEKIT_BASE_URL") or hub.public_url):
        print(
            f"JupyterHub did not say its public address, so links point at {here}. Set"
            " c.JupyterHub.public_url, or PLACEKIT_BASE_URL in the service's environment.\n"
        )
    store.set_setting(SERVER_URL, here)
    os.environ["PLACEKIT_BASE_URL"] = here
    os.environ["PLACEKIT_DB"] = store.url  # kernels start in another folder: pin the database
    if not store.workbooks() and not args.no_demo:
        seed_demo(store)
        print("First run: created a demo workbook.\n")
    print(f"PlaceKit is starting at {here}/voila/render/index.ipynb")
    print(f"Database: {store.url}\n")
    base = base_url(store)
    for wb in store.workbooks():
        print(_workbook_links(wb, base))
    plan = plan_room(args.room, args.max_kernels or default_max_kernels(), pages())
    print(_capacity(plan))
    print("Stop with Ctrl+C.", flush=True)
    command = voila_command(
        args.port,
        args.host,
        plan,
        fork=not args.cold_kernels,
        prefix=prefix,
        sign_in=args.hub_sign_in or "",
    )
    os.execve(command[0], command, voila_env(dict(os.environ)))
    return 0  # pragma: no cover - execv does not return


def _capacity(plan: RoomPlan) -> str:
    held = f"Pages open at once: up to {plan.max_kernels}; beyond that, a page waits its turn."
    if not plan.room:
        return f"{held}\nExpecting a room? Start with --room 30 to have its pages ready.\n"
    if plan.short:
        return (
            f"{held}\nA room of {plan.room}: this machine's memory holds {plan.pool} pages"
            " ready for each page of the workbook; the rest start as people arrive.\n"
        )
    return f"{held}\nReady for a room of {plan.room}: their pages are being prepared now.\n"


def cmd_new(args: argparse.Namespace) -> int:
    store = open_store(None, installed_exercises)
    exercises = get_registry().exercises
    try:
        design, left_out = _new_design(args, exercises)
        workbook_id, _team, _facilitator = create_workbook(
            store, args.title, args.keep or None, min_group=args.min_group, design=design
        )
    except (ValueError, TemplateError) as problem:  # a DesignError is a ValueError
        print(f"placekit new: {problem}", file=sys.stderr)
        return FAILED
    made = store.workbook(workbook_id)
    assert made is not None  # just made, in this process
    print(_workbook_links(made, base_url(store)))
    if design is not None:
        titles = ", ".join(exercises[ex].title for ex in design.exercises)
        print(f"Exercises, in this order: {titles or 'none yet'}")
    if left_out:
        print(f"Left out, as they are not installed here: {', '.join(left_out)}")
    if args.min_group != privacy.DEFAULT_MIN_GROUP:
        print(f"Results never show a figure about fewer than {args.min_group} people.")
    return 0


def _new_design(
    args: argparse.Namespace, exercises: Mapping[str, Any]
) -> tuple[Design | None, list[str]]:
    """The new workbook's design from ``--template``, ``--exercises`` and ``--welcome``,
    and the template's exercises left out; None: every installed exercise, always open."""
    left_out: list[str] = []
    design: Design | None = None
    if args.start and not args.template:
        raise ValueError("--start is the day a template's dates count from: use it with --template")
    if args.template:
        template = _template(args.template)
        design, left_out = template.design(args.start or clock.now().date(), exercises)
    elif args.exercises is not None:
        chosen = [ex.strip() for ex in args.exercises.split(",") if ex.strip()]
        problem = unknown(chosen, exercises)
        if problem:
            raise ValueError(problem)
        design = Design(tuple(chosen)).checked()
    if args.welcome is not None:
        design = (design or implicit(exercises)).with_welcome(args.welcome)
    return design, left_out


def _template(given: str) -> Template:
    """A registered template by its id, or a template file by its path."""
    registered = get_registry().templates
    if given in registered:
        return registered[given]
    if Path(given).suffix:
        return read_template(given)
    ids = ", ".join(sorted(registered)) or "none"
    raise ValueError(
        f"There is no template {given!r}: give a template file's path, or one of the"
        f" templates installed ({ids}; `placekit templates` lists them)"
    )


def cmd_templates(_args: argparse.Namespace) -> int:
    registry = get_registry()
    if not registry.templates:
        print("No workbook templates are installed.")
    for template in registry.templates.values():
        names = [
            registry.exercises[ex.id].title
            if ex.id in registry.exercises
            else f"{ex.id} (not installed)"
            for ex in template.exercises
        ]
        print(f"{template.id}: {template.title}\n  {template.summary}\n  {', '.join(names)}\n")
    print('Start a workbook from one with: placekit new "Title" --template ID')
    return 0


def cmd_list(_args: argparse.Namespace) -> int:
    store = open_store(None, installed_exercises)
    found = store.workbooks()
    if not found:
        print('No workbooks yet. Create one with: placekit new "Title"')
    base = base_url(store)  # one read of the server's address, not one per workbook
    for wb in found:
        print(_workbook_links(wb, base))
    return 0


def cmd_close(args: argparse.Namespace) -> int:
    store = open_store(None, installed_exercises)
    access = _facilitator(store, args.code, "close")
    if access is None:
        return FAILED
    if access.closed:
        print(f"“{access.title}” was already closed.")
    lifecycle.close(store, access.workbook_id, privacy.COMMAND_LINE)
    state = lifecycle.state(store.workbook(access.workbook_id) or {})
    print(f"“{access.title}”: {state.describe()}")
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    store = open_store(None, installed_exercises)
    access = _facilitator(store, args.code, "delete")
    if access is None:
        return FAILED
    if not args.yes:
        members = len(store.respondents(access.workbook_id))
        print(
            f"This deletes “{access.title}” and everything in it: {members} members, every"
            " version of every record and answer, its imported files and its activity"
            " record. Its links will open nothing. It cannot be undone (backups made"
            " before keep it until they are destroyed).\nTo go ahead, run the same command"
            " with --yes.",
            file=sys.stderr,
        )
        return 1
    deleted = lifecycle.delete(store, access.workbook_id, privacy.COMMAND_LINE)
    records = deleted["entries"] + deleted["anonymous_entries"]
    print(
        f"Deleted “{access.title}”: {lifecycle.counted(deleted['respondents'], 'member')},"
        f" {lifecycle.counted(records, 'saved version')},"
        f" {lifecycle.counted(deleted['datasets'], 'dataset version')}."
    )
    return 0


def cmd_erase(args: argparse.Namespace) -> int:
    from placekit.data import erasure  # lazy: see above cmd_serve

    store = open_store(None, installed_exercises)
    access = _facilitator(store, args.code, "erase")
    if access is None:
        return FAILED
    try:
        member = erasure.member_named(store, access.workbook_id, args.member)
    except erasure.NoSuchMember as problem:
        print(f"placekit erase: {problem}", file=sys.stderr)
        return FAILED
    plan = erasure.plan_by_name(store, access, member, get_registry().exercises)
    who = f"“{plan.display_name}” (joined {clock.local(plan.joined_at):%-d %B %Y})"
    if args.dry_run:
        print(f"This would erase from “{access.title}”, for good, the member {who}:")
        for exercise, (records, versions) in plan.records.items():
            print(
                f"  {exercise}: {lifecycle.counted(records, 'record')},"
                f" {lifecycle.counted(versions, 'saved version')}"
            )
        print("  their membership: their display name, and their personal link")
        if plan.unnamed:
            print(
                f"It would take their name off {lifecycle.counted(plan.unnamed, 'saved version')}"
                " of team records others also worked on, and of files they imported: these"
                " stay, as the team's."
            )
        print(_anonymous_answers_stay(plan, done=False))
        print("Nothing has been erased. To erase it, run the same command without --dry-run.")
        return 0
    done = erasure.erase_by_name(store, access, member, privacy.COMMAND_LINE)
    kept = (
        f" {lifecycle.counted(done.kept_unnamed, 'saved version')} of team records others also"
        " worked on, and of files they imported, stay as the team's, with their name taken off."
        if done.kept_unnamed
        else ""
    )
    print(
        f"Erased from “{access.title}” the member {who}:"
        f" {lifecycle.counted(done.records, 'saved version')} of their records, and their"
        f" membership.{kept}"
    )
    print(_anonymous_answers_stay(plan, done=True))
    return 0


def _anonymous_answers_stay(plan: NamedPlan, done: bool) -> str:
    """What an erasure by name cannot reach, said plainly (``erasure.erase_by_name``)."""
    if not plan.anonymous_exercises:
        return "No anonymous exercise in this workbook holds any answers."
    which = ", ".join(plan.anonymous_exercises)
    said = (
        f"Any answers they gave in anonymous exercises ({which}) are filed under a key only"
        " their own link can work out, so PlaceKit cannot find them: they stay in the team's"
        " figures, linked to no one"
    )
    if done:
        return (
            said + ", and now that their membership is gone, not even their old link reaches them."
        )
    return (
        said + ". If they still have their personal link, or the browser they joined with,"
        " erasing from their own page erases those answers too; this command cannot."
    )


def cmd_activity(args: argparse.Namespace) -> int:
    store = open_store(None, installed_exercises)
    if args.code:
        access = _facilitator(store, args.code, "activity")
        if access is None:
            return FAILED
        print(f"Activity in “{access.title}”, newest first:")
        found = activity.events(store, access.workbook_id, limit=None)
    else:
        print("The server's own activity (backups, restores, deletions), newest first:")
        found = activity.events(store, None, limit=None)
    if not found:
        print("  Nothing yet.")
    for event in found:
        print(f"  {event.when}  {event.actor}: {event.what}")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from placekit.data.backup import backup  # lazy: see above cmd_serve

    store = open_store(None, installed_exercises)
    try:
        counts = backup(store, args.file)
    except PlaceKitError as problem:
        print(f"placekit backup: {problem}", file=sys.stderr)
        return FAILED
    print(
        f"Backed up {store.url} to {Path(args.file).expanduser().resolve()}:"
        f" {counts.get('workbooks', 0)} workbooks, {_rows(counts)} rows in all. Keep it as"
        " securely as the database itself."
    )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from placekit.data.backup import restore  # lazy: see above cmd_serve

    store = open_store(None, installed_exercises)
    try:
        counts = restore(store, args.file, installed_exercises)
    except PlaceKitError as problem:
        print(f"placekit restore: {problem}", file=sys.stderr)
        return FAILED
    print(
        f"Restored {counts.get('workbooks', 0)} workbooks ({_rows(counts)} rows) into {store.url}."
    )
    return 0


def _rows(counts: dict[str, int]) -> int:
    return sum(n for table, n in counts.items() if table != "settings")


def cmd_retention(args: argparse.Namespace) -> int:
    from placekit.data import retention  # lazy: see above cmd_serve

    store = open_store(None, installed_exercises)
    found = retention.enforce(store, dry_run=args.dry_run)
    if not found:
        print("No workbook is due for deletion.")
    for wb in found:
        verb = "Would delete" if args.dry_run else "Deleted"
        print(
            f"{verb} “{wb.title}”: closed {wb.closed_at:%Y-%m-%d}, due for deletion since"
            f" {wb.delete_on:%Y-%m-%d} ({wb.retention_months} months after closing)."
        )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from placekit.lab.workbook import Workbook  # lazy: see above cmd_serve

    store = open_store(None, installed_exercises)
    try:
        wb = Workbook(store, resolve(store, args.code))
        tables = wb.tables(args.exercise)
    except InvalidLink:
        print("placekit export: that code does not open a workbook", file=sys.stderr)
        return FAILED
    except (KeyError, PermissionError) as problem:
        print(f"placekit export: {problem.args[0]}", file=sys.stderr)
        return FAILED
    exporters = get_registry().exporters
    if args.format not in exporters:
        print(
            f"placekit export: no exporter {args.format!r} ({', '.join(exporters)})",
            file=sys.stderr,
        )
        return FAILED
    # The page's own file names, or named after -o (a per-table format adds each table's).
    out = Path(args.output) if args.output else None
    title = out.stem if out else f"{wb.title} {wb.exercise(args.exercise).title}"
    for file in export_files(exporters[args.format], title, tables):
        path = (out.parent if out else Path()) / file.filename
        path.write_bytes(file.payload)
        print(path)
    what = f"{wb.exercise(args.exercise).title} ({exporters[args.format].label})"
    activity.record(store, wb.access.workbook_id, privacy.COMMAND_LINE, "exported", what)
    return 0


def cmd_plugins(_args: argparse.Namespace) -> int:
    from importlib.metadata import entry_points  # lazy: see above cmd_serve

    registry = get_registry()
    dists = {ep.name: ep.dist for ep in entry_points(group="placekit")}
    print("Plugins:")
    for name in registry.plugins:
        dist = dists.get(name)
        version = f" ({dist.name} {dist.version})" if dist else " (built in)"
        owned = sorted(k.split(":", 1)[1] for k, v in registry.owners.items() if v == name)
        print(f"  {name}{version}: {', '.join(owned) or 'nothing registered'}")
    print("Exercises:")
    for ex in registry.exercises.values():
        print(f"  {ex.id}: {ex.title}")
    if not registry.exercises:
        print(f"  {HOW_TO_INSTALL_EXERCISES}")
    if registry.problems:
        print("Problems (these plugins are not in use):")
        for problem in registry.problems:
            print(f"  {problem.plugin}: {problem.message}")
    return 0


def cmd_new_plugin(args: argparse.Namespace) -> int:
    from placekit.dev.scaffold import create_plugin, derive_names  # lazy: see cmd_serve

    try:
        folder = create_plugin(args.title, Path(args.dir))
    except (ValueError, FileExistsError) as problem:
        print(f"placekit new-plugin: {problem}", file=sys.stderr)
        return FAILED
    print(f"Created {folder}\n")

    names = derive_names(args.title)
    taken = [
        i
        for i in (names.exercise_id, f"{names.exercise_id}-check-in")
        if i in get_registry().exercises
    ]
    if taken:
        print(
            f"Warning: an installed plugin already has an exercise with the id"
            f" {', '.join(taken)}. Change `id` in the new plugin before installing it, or"
            " PlaceKit will report the clash and leave yours out.\n",
            file=sys.stderr,
        )
    print("Next:")
    print(f"  pip install -e '{folder}[test]'   # PlaceKit finds it by its entry point")
    print("  placekit plugins                # check it is listed")
    print(f"  pytest {folder}                 # its tests already pass")
    return 0


def build_parser() -> argparse.ArgumentParser:
    from importlib.metadata import version  # lazy: only --version needs it

    parser = argparse.ArgumentParser(
        prog="placekit",
        description="Guided workbooks for place-based teams: run them as web pages, make and"
        " look after workbooks and their data, and list or create exercise plugins.",
    )
    parser.add_argument("--version", action="version", version=f"placekit {version('placekit')}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = sub.add_parser("serve", help="run the workbooks as web pages (Voila)")
    serve.add_argument(
        "--port", type=_port, help=f"1-65535 (default {DEFAULT_PORT}, or JupyterHub's choice)"
    )
    serve.add_argument(
        "--host", help="default: this computer only (or JupyterHub's choice for a service)"
    )
    serve.add_argument(
        "--room",
        type=_count,
        default=0,
        metavar="N",
        help="people expected at once: their pages are prepared ahead (uses memory)",
    )
    serve.add_argument(
        "--max-kernels",
        type=_count,
        default=0,
        metavar="N",
        help="pages open at once, at most (default: what the machine's memory holds)",
    )
    serve.add_argument(
        "--cold-kernels",
        action="store_true",
        help="start each page's Python afresh, not forked from a warm one (slower)",
    )
    serve.add_argument("--no-demo", action="store_true", help="do not seed the demo workbook")
    serve.add_argument(
        "--hub-sign-in",
        choices=SIGN_IN,
        help="as a JupyterHub service: the pages that need a hub sign-in"
        " (default: none, as team links work without an account)",
    )
    serve.set_defaults(run=cmd_serve)
    new = sub.add_parser("new", help="create a workbook and print its links")
    new.add_argument("title")
    chosen = new.add_mutually_exclusive_group()
    chosen.add_argument(
        "--exercises",
        metavar="IDS",
        help="the exercises members see, in order, as ids with commas between"
        " (trust-audit,triage,assets; `placekit plugins` lists the ids; default: all)",
    )
    chosen.add_argument(
        "--template",
        metavar="ID_OR_FILE",
        help="start from a workbook template: an installed one's id (`placekit templates`)"
        " or a template file, such as one downloaded from a workbook's facilitator page",
    )
    new.add_argument(
        "--start",
        type=_day,
        metavar="YYYY-MM-DD",
        help="with --template: the day its dates count from (default: today)",
    )
    new.add_argument(
        "--welcome", help="a short welcome for members: why you are doing this, and by when"
    )
    new.add_argument(
        "--min-group",
        type=_count,
        default=privacy.DEFAULT_MIN_GROUP,
        metavar="K",
        help="the fewest people a figure in the results may be about (3 to 20; default"
        f" {privacy.DEFAULT_MIN_GROUP})",
    )
    new.add_argument(
        "--keep",
        type=_count,
        default=privacy.DEFAULT_RETENTION_MONTHS,
        metavar="MONTHS",
        help="months after it is closed at which PlaceKit deletes the workbook (default"
        f" {privacy.DEFAULT_RETENTION_MONTHS}; 0: keep it until someone deletes it)",
    )
    new.set_defaults(run=cmd_new)
    sub.add_parser(
        "list", help="list workbooks, their links and states (open, closed, due for deletion)"
    ).set_defaults(run=cmd_list)
    close = sub.add_parser("close", help="close a workbook for good: read-only from then on")
    close.add_argument("code", help="the workbook's facilitator code")
    close.set_defaults(run=cmd_close)
    delete = sub.add_parser("delete", help="delete a workbook and everything in it")
    delete.add_argument("code", help="the workbook's facilitator code")
    delete.add_argument("--yes", action="store_true", help="really delete it")
    delete.set_defaults(run=cmd_delete)
    erase = sub.add_parser(
        "erase", help="erase a member's named records and membership (they lost their link)"
    )
    erase.add_argument("code", help="the workbook's facilitator code")
    erase.add_argument(
        "--member",
        required=True,
        metavar="NAME",
        help="their display name, as the facilitator's page lists it",
    )
    erase.add_argument("--dry-run", action="store_true", help="only say what would be erased")
    erase.set_defaults(run=cmd_erase)
    record = sub.add_parser("activity", help="show a workbook's activity record")
    record.add_argument(
        "code", nargs="?", help="the workbook's facilitator code (none: the server's own)"
    )
    record.set_defaults(run=cmd_activity)
    export = sub.add_parser("export", help="export an exercise's results")
    export.add_argument("code", help="the workbook's facilitator code")
    export.add_argument("exercise")
    export.add_argument("--format", default="excel", help="an exporter id: excel, csv, …")
    export.add_argument("-o", "--output")
    export.set_defaults(run=cmd_export)
    backup = sub.add_parser("backup", help="write a consistent copy of the whole database")
    backup.add_argument("file", help="a new file (an SQLite database, whatever the backend)")
    backup.set_defaults(run=cmd_backup)
    restore = sub.add_parser("restore", help="restore a backup into an empty database")
    restore.add_argument("file")
    restore.set_defaults(run=cmd_restore)
    keep = sub.add_parser("retention", help="delete the workbooks due for deletion")
    keep.add_argument("--dry-run", action="store_true", help="only say which are due")
    keep.set_defaults(run=cmd_retention)
    sub.add_parser("plugins", help="list plugins and problems").set_defaults(run=cmd_plugins)
    sub.add_parser(
        "templates", help="list the workbook templates installed (for placekit new --template)"
    ).set_defaults(run=cmd_templates)
    plugin = sub.add_parser("new-plugin", help="create a new exercise plugin package")
    plugin.add_argument("title", help='for example "Five ways to wellbeing"')
    plugin.add_argument("--dir", default=".", help="where to create its folder")
    plugin.set_defaults(run=cmd_new_plugin)
    return parser


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"a port is a number from 1 to 65535, not {text!r}")
    return int(text)


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}")
    return int(text)


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a day as YYYY-MM-DD, got {text!r}") from None


def _as_given(argv: list[str]) -> list[str]:
    """One code in 64 starts with "-" (codes are URL-safe base64), which argparse takes for
    an option; such a code is passed on with a space in front, taken off once parsed."""
    return [f" {a}" if a.startswith("-") and CODE_SHAPE.match(a) else a for a in argv]


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(_as_given(sys.argv[1:] if argv is None else argv))
    if isinstance(getattr(args, "code", None), str):
        args.code = args.code.strip()
    try:
        status = args.run(args)
        sys.stdout.flush()  # here, not at exit, so a closed pipe is met inside this try
        return status
    except BrokenPipeError:
        # `placekit list | head` closed the pipe: what was asked for has been read. Point
        # stdout at nothing so the interpreter's own flush at exit cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return FAILED


if __name__ == "__main__":
    sys.exit(main())
