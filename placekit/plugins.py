"""Builds the plugin manager and the registry of what the plugins registered.

Plugins are found through the ``placekit`` entry-point group, the built-in exercises
included, so a third-party package is loaded exactly as they are. A plugin that fails to
import, or registers something malformed, is recorded in ``Registry.problems`` (shown by
``placekit plugins`` and the index page) and the rest of the kit carries on.
"""

from __future__ import annotations

import importlib
import logging
import os
import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any

import pluggy

from placekit import hookspecs
from placekit.data.export import Exporter
from placekit.data.templates import Template, TemplateError
from placekit.data.templates import read as read_template
from placekit.errors import PlaceKitError
from placekit.exercise import Exercise
from placekit.questionnaires.exercise import from_file as questionnaire_from_file
from placekit.questionnaires.model import QuestionnaireError

log = logging.getLogger(__name__)

# Core modules that implement hooks themselves, registered after the entry points.
BUILTIN_MODULES = ("placekit.data.export",)
_ID = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")


class RegistrationError(PlaceKitError):
    """A plugin registered something the kit cannot use; the message names the plugin."""


@dataclass(frozen=True)
class PluginProblem:
    plugin: str
    message: str
    detail: str = ""


@dataclass
class Registry:
    exercises: dict[str, Exercise] = field(default_factory=dict)
    exporters: dict[str, Exporter] = field(default_factory=dict)
    templates: dict[str, Template] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=dict)  # "exercise:id" -> plugin name
    problems: list[PluginProblem] = field(default_factory=list)
    plugins: list[str] = field(default_factory=list)


def disabled_plugins() -> set[str]:
    """Names in ``PLACEKIT_DISABLE_PLUGINS`` (comma-separated entry-point or module names)."""
    raw = os.environ.get("PLACEKIT_DISABLE_PLUGINS", "")
    return {name.strip() for name in raw.split(",") if name.strip()}


def api_mismatch(name: str, module: Any) -> str | None:
    """Why a plugin module cannot be used with this PlaceKit's plugin API, or None.

    A plugin states the API it was written for as ``PLACEKIT_API = <int>`` in the module
    its entry point names; checking it at load time turns an incompatible plugin into a
    clear message in ``placekit plugins`` instead of a failure in the middle of a page.
    """
    declared = getattr(module, "PLACEKIT_API", None)
    if declared is None:
        return (
            f"plugin {name!r} does not say which PlaceKit plugin API it was written for: add"
            f" PLACEKIT_API = {hookspecs.PLUGIN_API} to {module.__name__}"
        )
    if declared != hookspecs.PLUGIN_API:
        newer = isinstance(declared, int) and declared > hookspecs.PLUGIN_API
        advice = "upgrade PlaceKit" if newer else "install a version of the plugin made for it"
        return (
            f"plugin {name!r} was written for PlaceKit plugin API {declared!r}, but this"
            f" PlaceKit provides API {hookspecs.PLUGIN_API}: {advice}"
        )
    return None


def build_plugin_manager(problems: list[PluginProblem]) -> pluggy.PluginManager:
    pm = pluggy.PluginManager("placekit")
    pm.add_hookspecs(hookspecs)
    blocked = disabled_plugins()
    for ep in entry_points(group="placekit"):
        if ep.name in blocked or ep.value in blocked:
            continue
        try:
            module = ep.load()
            mismatch = api_mismatch(ep.name, module)
            if mismatch:
                log.warning(mismatch)
                problems.append(PluginProblem(ep.name, mismatch))
                continue
            pm.register(module, name=ep.name)
        except Exception as exc:  # a broken third-party plugin must not stop the kit
            log.exception("PlaceKit plugin %r failed to load", ep.name)
            problems.append(
                PluginProblem(ep.name, f"failed to load: {exc}", traceback.format_exc())
            )
    for name in BUILTIN_MODULES:
        if name not in blocked and pm.get_plugin(name) is None:
            pm.register(importlib.import_module(name), name=name)
    return pm


def _check_exercise(obj: Any, plugin: str) -> str:
    if not isinstance(obj, Exercise):
        raise RegistrationError(
            f"plugin {plugin!r} registered {obj!r}, which is not a placekit.Exercise"
        )
    ex_id = getattr(obj, "id", None)
    if not isinstance(ex_id, str) or not _ID.match(ex_id):
        raise RegistrationError(
            f"plugin {plugin!r} registered an exercise with id {ex_id!r}: an id is 1-64"
            " lower-case letters, digits, '-' or '_', starting with a letter"
        )
    for attr in ("title", "summary"):
        if not isinstance(getattr(obj, attr, None), str) or not getattr(obj, attr).strip():
            raise RegistrationError(
                f"plugin {plugin!r} registered exercise {ex_id!r} without a {attr}"
            )
    steps = getattr(obj, "steps", ())
    if not steps or not all(isinstance(s, tuple) and len(s) == 2 for s in steps):
        # With no steps an exercise would show as Completed before anyone started it.
        raise RegistrationError(
            f"plugin {plugin!r} registered exercise {ex_id!r} without steps: declare"
            " steps = ((step id, title), ...), one per task in its task list"
        )
    ids = {step for step, _title in steps}
    held = dict(getattr(obj, "held_until_revealed", {}) or {})
    strays = sorted(set(held) - ids | set(held.values()) - ids)
    if strays:
        raise RegistrationError(
            f"plugin {plugin!r} registered exercise {ex_id!r} whose held_until_revealed"
            f" names steps it does not have: {', '.join(map(repr, strays))}"
        )
    kinds = {k.name for k in getattr(obj, "kinds", ())}
    team_kinds = {k.name for k in getattr(obj, "kinds", ()) if k.scope == "team"}
    own = dict(getattr(obj, "own_until_revealed", {}) or {})
    strays = sorted(set(own) - team_kinds) + sorted(set(own.values()) - ids)
    if strays:
        raise RegistrationError(
            f"plugin {plugin!r} registered exercise {ex_id!r} whose own_until_revealed"
            f" names team kinds or steps it does not have: {', '.join(map(repr, strays))}"
        )
    if obj.primary_kind and obj.primary_kind not in kinds:
        raise RegistrationError(
            f"plugin {plugin!r} registered exercise {ex_id!r} whose primary_kind"
            f" {obj.primary_kind!r} is not one of its kinds ({', '.join(sorted(kinds))})"
        )
    return ex_id


def _check_exporter(obj: Any, plugin: str) -> str:
    if not isinstance(obj, Exporter) or not _ID.match(str(getattr(obj, "id", ""))):
        raise RegistrationError(
            f"plugin {plugin!r} registered {obj!r}, which is not a placekit.Exporter"
            " with a valid id"
        )
    return obj.id


def _from_file(obj: Any, plugin: str, what: str, read: Callable[[Any], Any]) -> Any:
    """A registered file (a questionnaire, a workbook template), read and checked by
    ``read``. The error names the plugin, the file and each problem in it (the item, and
    what is wrong): ``read`` raises an error with the file's ``path`` and its ``problems``."""
    if not isinstance(obj, str | os.PathLike):
        raise RegistrationError(
            f"plugin {plugin!r} registered {obj!r} as a {what}: pass the file's path"
        )
    try:
        return read(obj)
    except (QuestionnaireError, TemplateError) as problem:
        raise RegistrationError(
            f"plugin {plugin!r} registered {what} {problem.path}, which cannot be"
            f" used: {'; '.join(problem.problems)}"
        ) from None


def _questionnaire(obj: Any, plugin: str) -> Exercise:
    """A questionnaire file as an exercise (the engine's ``from_file``: questionnaire
    files are part of the plugin contract)."""
    return _from_file(obj, plugin, "questionnaire", questionnaire_from_file)


def _template(obj: Any, plugin: str) -> Template:
    """A workbook template file. Its exercise ids are not checked against the registry: a
    template may name another plugin's exercises, and starting a workbook from it leaves
    out (and names) those not installed."""
    return _from_file(obj, plugin, "workbook template", read_template)


def _check_template(obj: Any, plugin: str) -> str:
    # read() has checked the file; what is left to the registry is the id's uniqueness.
    return obj.id


def _collect(
    pm: pluggy.PluginManager,
    hook_name: str,
    check: Callable[[Any, str], str],
    into: dict[str, Any],
    label: str,
    registry: Registry,
    convert: Callable[[Any, str], Any] | None = None,
) -> None:
    impls = getattr(pm.hook, hook_name).get_hookimpls()
    # The core's own registrations claim their ids first, so an installed plugin cannot take
    # over (say) "csv" and get the core blamed; other plugins keep their loading order.
    impls = sorted(impls, key=lambda impl: impl.plugin_name not in BUILTIN_MODULES)
    for impl in impls:
        plugin = impl.plugin_name
        staged: dict[str, Any] = {}

        def register(obj: Any, plugin: str = plugin, staged: dict[str, Any] = staged) -> None:
            # One bad registration (a malformed file, an id another plugin has) costs that
            # one thing, reported with the plugin's name; the plugin's others still load.
            try:
                if convert is not None:
                    obj = convert(obj, plugin)  # e.g. a questionnaire file into an exercise
                obj_id = check(obj, plugin)
                owner = registry.owners.get(f"{label}:{obj_id}") or (
                    plugin if obj_id in staged else None
                )
                if owner is not None:
                    raise RegistrationError(
                        f"plugin {plugin!r} registered {label} id {obj_id!r},"
                        f" which plugin {owner!r} already registered"
                    )
            except (RegistrationError, ValueError) as refused:
                log.error("PlaceKit: %s", refused)
                registry.problems.append(PluginProblem(plugin, str(refused)))
                return
            staged[obj_id] = obj

        try:
            impl.function(register=register)
        except Exception as exc:
            log.exception("PlaceKit plugin %r failed in %s", plugin, hook_name)
            registry.problems.append(PluginProblem(plugin, str(exc), traceback.format_exc()))
            continue  # nothing half-registered from a plugin that failed
        for obj_id, obj in staged.items():
            into[obj_id] = obj
            registry.owners[f"{label}:{obj_id}"] = plugin


_pm: pluggy.PluginManager | None = None
_load_problems: list[PluginProblem] = []
_registry: Registry | None = None


def get_plugin_manager() -> pluggy.PluginManager:
    """The process-wide plugin manager. Tests may ``register``/``unregister`` on it and
    then call ``reset_registry()``."""
    global _pm
    if _pm is None:
        _load_problems.clear()
        _pm = build_plugin_manager(_load_problems)
    return _pm


def load_registry() -> Registry:
    pm = get_plugin_manager()
    registry = Registry(problems=list(_load_problems))
    registry.plugins = [name for name, _ in pm.list_name_plugin()]
    _collect(pm, "register_exercises", _check_exercise, registry.exercises, "exercise", registry)
    # Questionnaire files become exercises, sharing their ids (a clash is a duplicate).
    _collect(
        pm,
        "register_questionnaires",
        _check_exercise,
        registry.exercises,
        "exercise",
        registry,
        convert=_questionnaire,
    )
    _collect(pm, "register_exporters", _check_exporter, registry.exporters, "exporter", registry)
    _collect(
        pm,
        "register_workbook_templates",
        _check_template,
        registry.templates,
        "template",
        registry,
        convert=_template,
    )
    return registry


def get_registry() -> Registry:
    """The process-wide registry, loaded on first use."""
    global _registry
    if _registry is None:
        _registry = load_registry()
    return _registry


def installed_exercises() -> dict[str, Exercise]:
    """Every exercise the installed plugins registered, by id."""
    return get_registry().exercises


def reset_registry(reload_plugins: bool = False) -> None:
    """Rebuild the registry on next use; ``reload_plugins`` also re-reads the entry points."""
    global _registry, _pm
    _registry = None
    if reload_plugins:
        _pm = None
