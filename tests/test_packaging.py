"""What an administrator's or a packager's tools read: every package PlaceKit ships says its
licence, carries the licence text, and names the PlaceKit it works with."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = [ROOT, *sorted(p.parent for p in (ROOT / "plugins").glob("*/pyproject.toml"))]


def test_every_package_is_mit_licensed_with_the_text_beside_it() -> None:
    for folder in PACKAGES:
        project = tomllib.loads((folder / "pyproject.toml").read_text())["project"]
        assert project["license"] == "MIT", folder.name
        assert project["license-files"] == ["LICENSE"], folder.name
        assert (folder / "LICENSE").read_text().startswith("MIT License"), folder.name
        assert project["classifiers"], folder.name


def test_every_plugin_names_the_placekit_it_works_with() -> None:
    for folder in PACKAGES[1:]:
        project = tomllib.loads((folder / "pyproject.toml").read_text())["project"]
        (core,) = [d for d in project["dependencies"] if re.match(r"placekit\b(?!-)", d)]
        assert re.fullmatch(r"placekit>=0\.1,<0\.2", core), (folder.name, core)


def test_placekit_exercises_installs_every_built_in_exercise() -> None:
    """``pip install "placekit[exercises]"`` is the kit with every exercise, each at its own
    release series; a plugin added to plugins/ and left out of the extra would be missing."""
    core = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = []
    for folder in PACKAGES[1:]:
        plugin = tomllib.loads((folder / "pyproject.toml").read_text())["project"]
        major, minor, *_ = plugin["version"].split(".")
        wanted.append(f"{plugin['name']}>={major}.{minor},<{major}.{int(minor) + 1}")
    assert core["optional-dependencies"]["exercises"] == wanted
