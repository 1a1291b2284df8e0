"""Run by JupyterHub as a service, PlaceKit listens where the hub says, under the hub's path,
and its links name the hub's public address; hub sign-in outside a hub is refused plainly.
(tests/browser/test_jupyterhub.py runs it under a real hub.)"""

from __future__ import annotations

import os
import subprocess
import sys

from placekit.testing import run_apart
from placekit.web.hub import HubService, HubSignIn, service_from_env


def test_alone_it_is_no_service() -> None:
    assert service_from_env({}) is None
    assert service_from_env({"JUPYTERHUB_SERVICE_PREFIX": "/services/placekit/"}) is None


def test_the_hub_s_environment_says_where_and_under_which_path() -> None:
    env = {
        "JUPYTERHUB_SERVICE_URL": "http://127.0.0.1:10101",
        "JUPYTERHUB_SERVICE_PREFIX": "/services/placekit",  # a hub may leave out the "/"
        "JUPYTERHUB_PUBLIC_URL": "https://hub.example.org/services/placekit/",
    }
    assert service_from_env(env) == HubService(
        host="127.0.0.1",
        port=10101,
        prefix="/services/placekit/",
        public_url="https://hub.example.org/services/placekit",
    )
    bare = service_from_env({"JUPYTERHUB_SERVICE_URL": "https://placekit.internal"})
    assert bare == HubService("placekit.internal", 443, "/", None)


def test_hub_sign_in_without_a_hub_is_refused_with_a_plain_message(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTERHUB_")}
    done = subprocess.run(
        [sys.executable, "-m", "placekit", "serve", "--hub-sign-in", "facilitators"],
        env=env | {"PLACEKIT_DB": str(tmp_path / "pk.db")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1  # understood, but cannot be done here
    assert "works when JupyterHub runs PlaceKit as a service" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "pk.db").exists()  # refused before anything was made


def test_facilitator_sign_in_asks_only_for_a_facilitator_s_code(placekit_workbook) -> None:
    facilitators, everyone = (
        HubSignIn(who, lambda: placekit_workbook.store) for who in ("facilitators", "everyone")
    )

    async def needed(sign_in: HubSignIn, code: str | None) -> bool:
        return await sign_in.needed(code)

    def asked(sign_in: HubSignIn, code: str | None) -> bool:
        return run_apart(lambda: needed(sign_in, code))

    assert asked(facilitators, placekit_workbook.facilitator_code)
    assert not asked(facilitators, placekit_workbook.team_code)  # members need no account
    assert not asked(facilitators, "not-a-code")  # the page says the link is not valid
    assert not asked(facilitators, None)
    assert asked(everyone, placekit_workbook.team_code) and asked(everyone, None)
