"""``placekit new-plugin``: a standalone, installable plugin package to start from."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from string import Template

TEMPLATE = Path(__file__).resolve().parent / "templates" / "plugin"


@dataclass(frozen=True)
class PluginNames:
    title: str
    dist: str  # the name on PyPI and of the folder: placekit-five-ways-to-wellbeing
    package: str  # the import name: placekit_five_ways_to_wellbeing
    entry: str  # the entry-point name, shown by `placekit plugins`
    exercise_id: str  # five-ways-to-wellbeing
    class_name: str  # FiveWaysToWellbeing


def derive_names(title: str) -> PluginNames:
    """Valid package, module, entry-point, exercise and class names from any title.

    Accents are folded to ASCII ("Café" → "cafe"), everything else that is not a letter or
    digit separates words, and names that would start with a digit get a prefix.
    """
    title = " ".join(title.split())
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", folded.lower())
    if not words:
        raise ValueError("Give the plugin a title with at least one letter or digit")
    slug = "-".join(words)[:48].strip("-")
    exercise_id = slug if slug[0].isalpha() else f"exercise-{slug}"
    class_name = "".join(word.capitalize() for word in words)
    if not class_name[0].isalpha():
        class_name = f"Exercise{class_name}"
    return PluginNames(
        title=title,
        dist=f"placekit-{slug}",
        package=f"placekit_{slug.replace('-', '_')}",
        entry=exercise_id,
        exercise_id=exercise_id,
        class_name=class_name,
    )


def create_plugin(title: str, parent: Path) -> Path:
    """Write a new plugin package into ``parent/<dist>``; refuses to overwrite a folder."""
    names = derive_names(title)
    target = parent / names.dist
    if target.exists():
        raise FileExistsError(f"{target} already exists; choose another title or folder")
    values = {**names.__dict__, "title": names.title.replace('"', "'")}
    for source in sorted(TEMPLATE.rglob("*.tmpl")):
        relative = source.relative_to(TEMPLATE).with_suffix("")
        destination = target / str(relative).replace("__package__", names.package)
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_text(Template(source.read_text()).substitute(values))
    return target
