"""The Dockerfile and compose.yaml, checked where no Docker engine runs (this machine and CI
have only the client): the Dockerfile passes hadolint, compose.yaml is valid Compose, and
both say what the rest of the project says (the version, the extras, the server's options).
The image's steps themselves are those of tests/browser/test_from_wheels.py: wheels built
from the source, installed as ``placekit[exercises]``, served by ``placekit serve``."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DOCKERFILE = (ROOT / "Dockerfile").read_text()
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def checker(tool: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run one of the test environment's checkers on a file of the repository."""
    return subprocess.run(
        [str(BIN / tool), *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_the_dockerfile_passes_hadolint() -> None:
    done = checker("hadolint", "--no-color", "Dockerfile")
    assert done.returncode == 0, done.stdout + done.stderr


def test_compose_yaml_is_valid_compose() -> None:
    done = checker("check-jsonschema", "--builtin-schema", "vendor.compose-spec", "compose.yaml")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_image_installs_this_version_with_every_exercise() -> None:
    (spec,) = re.findall(r'pip install --find-links /wheels "([^"]+)"', DOCKERFILE)
    name, extras, version = re.fullmatch(r"(\w+)\[([\w,]+)\]==(\S+)", spec).groups()
    assert (name, version) == (PROJECT["name"], PROJECT["version"])
    # The driver compose.yaml needs, and the hub sign-in docs/deploy.md's Kubernetes layout uses.
    assert set(extras.split(",")) == {"exercises", "postgres", "hub"}
    assert set(extras.split(",")) <= set(PROJECT["optional-dependencies"])


def test_the_image_runs_a_server_others_can_reach_with_no_demo() -> None:
    (command,) = re.findall(r"^CMD (\[.*\])$", DOCKERFILE, re.M)
    args = json.loads(command)
    assert args[:2] == ["placekit", "serve"]
    assert args[args.index("--host") + 1] == "0.0.0.0"
    assert "--no-demo" in args
    shown = subprocess.run(
        [str(BIN / "placekit"), "serve", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for option in (a for a in args[2:] if a.startswith("--")):
        assert option in shown, option
    (exposed,) = re.findall(r"^EXPOSE (\d+)$", DOCKERFILE, re.M)
    assert args[args.index("--port") + 1] == exposed
    assert re.search(rf"create_connection\(\('127\.0\.0\.1', {exposed}\)", DOCKERFILE)


def test_compose_runs_it_on_postgresql_with_its_secret_outside_the_file() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    placekit, db = compose["services"]["placekit"], compose["services"]["db"]
    assert placekit["environment"]["PLACEKIT_DB"].startswith("postgresql+psycopg://")
    assert "${POSTGRES_PASSWORD:?" in placekit["environment"]["PLACEKIT_DB"]
    assert db["environment"]["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")
    assert placekit["depends_on"]["db"]["condition"] == "service_healthy"
    assert placekit["init"] is True
    assert all(port.startswith("127.0.0.1:") for port in placekit["ports"])


def test_the_image_is_built_from_the_source_alone() -> None:
    ignored = (ROOT / ".dockerignore").read_text().split()
    for kept_out in (".git", ".venv", "analysis", "*.db", "test-artifacts"):
        assert kept_out in ignored, kept_out
