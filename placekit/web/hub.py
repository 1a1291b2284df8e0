"""PlaceKit as a JupyterHub service: where the hub says to listen and what the pages' public
address is (``service_from_env``), and sign-in through the hub for the pages that need it
(``HubSignIn``, used by the server).

JupyterHub runs a managed service with ``JUPYTERHUB_SERVICE_URL`` (where to listen),
``JUPYTERHUB_SERVICE_PREFIX`` (the path its proxy sends, such as ``/services/placekit/``),
``JUPYTERHUB_PUBLIC_URL`` (when the hub is told its own public address) and the OAuth
client's settings that ``HubOAuth`` reads. Sign-in is PlaceKit's choice, not the hub's: off
by default, so team links keep working for members without a hub account.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from placekit.data import access
from placekit.data.store import Store

#: Whose pages need a hub sign-in: facilitators' (a facilitator code), or every page.
SIGN_IN = ("facilitators", "everyone")


@dataclass(frozen=True)
class HubService:
    host: str
    port: int
    prefix: str  # the path the hub's proxy sends to PlaceKit, ending in "/"
    public_url: str | None  # the pages' address as people see it, without the trailing "/"


def service_from_env(env: Mapping[str, str]) -> HubService | None:
    """The service JupyterHub runs PlaceKit as, from its environment; None when run alone."""
    url = env.get("JUPYTERHUB_SERVICE_URL")
    if not url:
        return None
    where = urlsplit(url)
    prefix = env.get("JUPYTERHUB_SERVICE_PREFIX") or "/"
    public = env.get("JUPYTERHUB_PUBLIC_URL")
    return HubService(
        host=where.hostname or "127.0.0.1",
        port=where.port or (443 if where.scheme == "https" else 80),
        prefix=prefix if prefix.endswith("/") else prefix + "/",
        public_url=public.rstrip("/") if public else None,
    )


class HubSignIn:
    """The hub's OAuth sign-in in front of the pages ``who`` names (one of ``SIGN_IN``).

    A page that needs it and has no hub user is sent to the hub's login, and comes back to
    the same link through ``oauth_callback``; a signed-in user without access to this
    service (the hub's ``access:services!service=…`` scope) is refused with a plain page."""

    def __init__(self, who: str, store: Callable[[], Store]) -> None:
        if who not in SIGN_IN:
            raise ValueError(f"sign-in is for one of {SIGN_IN}, not {who!r}")
        # Lazy: jupyterhub is the optional `hub` extra, needed only with sign-in on.
        from jupyterhub.services.auth import HubOAuth, HubOAuthCallbackHandler

        self.who = who
        self.auth = HubOAuth.instance()  # configured by the hub's environment
        self.callback_handler = HubOAuthCallbackHandler
        self.store = store  # the database, opened on first use

    async def needed(self, code: str | None) -> bool:
        """Whether a page opened with ``code`` needs a signed-in hub user."""
        if self.who == "everyone":
            return True
        return bool(code) and await asyncio.to_thread(self._role, code) == "facilitator"

    def _role(self, code: str) -> str | None:
        try:
            return access.resolve(self.store(), code).role
        except access.InvalidLink:
            return None  # the page says the link is not valid; no sign-in is asked for

    async def allowed(self, handler: Any) -> bool | None:
        """None: nobody is signed in; else whether the hub user may open PlaceKit."""
        user = await self.auth.get_user(handler, sync=False)
        if user is None:
            return None
        scopes = self.auth.access_scopes
        return not scopes or bool(self.auth.check_scopes(scopes, user))

    async def turn_away(self, handler: Any) -> bool:
        """Send ``handler``'s visitor to the hub's login if nobody is signed in, or refuse
        them with a plain page if their hub user may not open PlaceKit; whether it did."""
        allowed = await self.allowed(handler)
        if allowed is None:
            handler.redirect(self.login_url(handler))
        elif not allowed:
            handler.set_status(403)
            handler.finish(handler.render_template("no-access.html"))
        return not allowed

    def login_url(self, handler: Any) -> str:
        """The hub's login, coming back to the link ``handler`` was asked for."""
        params: dict[str, str] = {}
        pkce: dict[str, str] = {}
        if getattr(self.auth, "pkce_enabled", False):  # JupyterHub 5.3 and later
            verifier, challenge, method = self.auth.generate_pkce_code_challenge()
            params |= {"code_challenge": challenge, "code_challenge_method": method}
            pkce["code_verifier"] = verifier
        params["state"] = self.auth.set_state_cookie(handler, handler.request.uri, **pkce)
        login = urlsplit(self.auth.login_url)  # it has a query already: the OAuth client's
        return urlunsplit(
            login._replace(query=urlencode(parse_qsl(login.query) + [*params.items()]))
        )
