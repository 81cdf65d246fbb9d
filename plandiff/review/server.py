"""Serving the workbench: loopback by default, an access token anywhere else."""
from __future__ import annotations

import getpass
import ipaddress
import logging
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from plandiff.errors import UsageError

from .app import create_app

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
TOKEN_BYTES = 24
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
FALLBACK_REVIEWER = "reviewer"


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def default_reviewer() -> str:
    try:
        return getpass.getuser() or FALLBACK_REVIEWER
    except (KeyError, OSError):      # no user name in the environment nor the password database
        return os.environ.get("USERNAME") or FALLBACK_REVIEWER


def serve(out_dir: str | Path, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          reviewer: str | None = None, lang: str = "vi", token: str | None = None,
          print_fn: Callable[[str], object] = print) -> None:
    """Serve the workbench until interrupted.

    On a loopback host no token is needed unless one is given; on any other
    host a token is required, and generated when none is given.  The URL to
    open (with the token) is printed.  UsageError, before binding, for an
    output folder without tables, an unknown language or a bad port."""
    import uvicorn  # imported here: only serving needs the server

    if not 0 < port < 65536:
        raise UsageError(f"port {port} is not between 1 and 65535")
    if token is not None and not token.strip():
        raise UsageError("the access token is empty")
    if token is None and not is_loopback(host):
        token = secrets.token_urlsafe(TOKEN_BYTES)
    # Loopback without a token: refuse foreign Host headers (DNS rebinding).  Elsewhere the
    # token already keeps out a page that rebinds a name, and the machine has many names.
    allowed = [host, *LOOPBACK_NAMES] if is_loopback(host) else None
    app = create_app(out_dir, reviewer=reviewer or default_reviewer(), lang=lang, token=token,
                     allowed_hosts=allowed)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/" + (f"?token={quote(token, safe='')}" if token else "")
    print_fn(url)
    log.info("review workbench for %s on %s:%d", out_dir, host, port)
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False, server_header=False,
                h11_max_incomplete_event_size=64 * 1024)
