"""``placekit serve | new | list | export | plugins | new-plugin``."""

from __future__ import annotations

import argparse
import os
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from placekit.data.access import (
    CODE_SHAPE,
    SERVER_URL,
    InvalidLink,
    base_url,
    create_workbook,
    link,
    resolve,
)
from placekit.data.export import export_files
from placekit.data.upgrade import open_store
from placekit.plugins import get_registry, installed_exercises

if TYPE_CHECKING:
    from placekit.web.capacity import RoomPlan


def _links(title: str, team: str, facilitator: str, base: str) -> str:
    return (
        f"{title}\n"
        f"  Team link (send to members):       {link(team, base=base)}\n"
        f"  Facilitator link (keep to yourself): {link(facilitator, base=base)}\n"
    )


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
    from placekit.dev.demo import seed_demo  # lazy, as every command's own imports
    from placekit.web.capacity import default_max_kernels, plan_room
    from placekit.web.serve import pages, voila_command, voila_env

    if _port_taken(args.host, args.port):
        # Voila would quietly move to the next port while these links pointed at this one.
        print(
            f"placekit serve: port {args.port} is already in use (is PlaceKit already"
            f" running?). Stop that server, or choose another port: placekit serve --port"
            f" {args.port + 1}",
            file=sys.stderr,
        )
        return 2
    store = open_store(None, installed_exercises)
    here = f"http://{args.host}:{args.port}"
    # `placekit new` and `list` in another terminal print links to this server.
    store.set_setting(SERVER_URL, here)
    os.environ.setdefault("PLACEKIT_BASE_URL", here)
    os.environ["PLACEKIT_DB"] = store.url  # kernels start in another folder: pin the database
    if not store.workbooks() and not args.no_demo:
        team, facilitator = seed_demo(store)
        print("First run: created a demo workbook.\n")
    print(f"PlaceKit is starting at http://{args.host}:{args.port}/voila/render/index.ipynb")
    print(f"Database: {store.url}\n")
    base = base_url(store)
    for wb in store.workbooks():
        print(_links(wb["title"], wb["team_code"], wb["facilitator_code"], base))
    plan = plan_room(args.room, args.max_kernels or default_max_kernels(), pages())
    print(_capacity(plan))
    print("Stop with Ctrl+C.", flush=True)
    command = voila_command(args.port, args.host, plan)
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
    try:
        _id, team, facilitator = create_workbook(store, args.title)
    except ValueError as problem:
        print(f"placekit new: {problem}", file=sys.stderr)
        return 2
    print(_links(" ".join(args.title.split()), team, facilitator, base_url(store)))
    return 0


def cmd_list(_args: argparse.Namespace) -> int:
    store = open_store(None, installed_exercises)
    found = store.workbooks()
    if not found:
        print('No workbooks yet. Create one with: placekit new "Title"')
    base = base_url(store)  # one read of the server's address, not one per workbook
    for wb in found:
        print(_links(wb["title"], wb["team_code"], wb["facilitator_code"], base))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from placekit.lab.workbook import Workbook  # lazy: see above cmd_serve

    store = open_store(None, installed_exercises)
    try:
        wb = Workbook(store, resolve(store, args.code))
        tables = wb.tables(args.exercise)
    except InvalidLink:
        print("placekit export: that code does not open a workbook", file=sys.stderr)
        return 2
    except (KeyError, PermissionError) as problem:
        print(f"placekit export: {problem.args[0]}", file=sys.stderr)
        return 2
    exporters = get_registry().exporters
    if args.format not in exporters:
        print(
            f"placekit export: no exporter {args.format!r} ({', '.join(exporters)})",
            file=sys.stderr,
        )
        return 2
    # The page's own file names, or named after -o (a per-table format adds each table's).
    out = Path(args.output) if args.output else None
    title = out.stem if out else f"{wb.title} {wb.exercise(args.exercise).title}"
    for file in export_files(exporters[args.format], title, tables):
        path = (out.parent if out else Path()) / file.filename
        path.write_bytes(file.payload)
        print(path)
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
        return 2
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
    parser = argparse.ArgumentParser(prog="placekit", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the workbooks as web pages (Voila)")
    serve.add_argument("--port", type=int, default=8866)
    serve.add_argument("--host", default="127.0.0.1", help="default: this computer only")
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
    serve.add_argument("--no-demo", action="store_true", help="do not seed the demo workbook")
    serve.set_defaults(run=cmd_serve)
    new = sub.add_parser("new", help="create a workbook and print its links")
    new.add_argument("title")
    new.set_defaults(run=cmd_new)
    sub.add_parser("list", help="list workbooks and their links").set_defaults(run=cmd_list)
    export = sub.add_parser("export", help="export an exercise's results")
    export.add_argument("code", help="the workbook's facilitator code")
    export.add_argument("exercise")
    export.add_argument("--format", default="excel", help="an exporter id: excel, csv, …")
    export.add_argument("-o", "--output")
    export.set_defaults(run=cmd_export)
    sub.add_parser("plugins", help="list plugins and problems").set_defaults(run=cmd_plugins)
    plugin = sub.add_parser("new-plugin", help="create a new exercise plugin package")
    plugin.add_argument("title", help='for example "Five ways to wellbeing"')
    plugin.add_argument("--dir", default=".", help="where to create its folder")
    plugin.set_defaults(run=cmd_new_plugin)
    return parser


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}")
    return int(text)


def _as_given(argv: list[str]) -> list[str]:
    """One code in 64 starts with "-" (codes are URL-safe base64), which argparse takes for
    an option; such a code is passed on with a space in front, taken off once parsed."""
    return [f" {a}" if a.startswith("-") and CODE_SHAPE.match(a) else a for a in argv]


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(_as_given(sys.argv[1:] if argv is None else argv))
    if isinstance(getattr(args, "code", None), str):
        args.code = args.code.strip()
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
