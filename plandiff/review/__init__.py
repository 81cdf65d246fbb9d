"""The review workbench (issue 17): a local web application over a run's tables.

A reviewer goes through each plan's verdicts, most doubtful first, and
confirms, re-pairs or corrects them; every decision goes to the output
folder's `decisions.sqlite` (`plandiff.decisions`) and shows at once.

    create_app(out_dir, *, reviewer, lang="vi", token=None, allowed_hosts=None) -> Starlette
    serve(out_dir, *, host="127.0.0.1", port=8765, reviewer=None, lang="vi", token=None, print_fn=print)

Modules: `app` (routes and rendering), `workbench` (a plan's rows with the
decisions applied, candidates, search, recording; no HTTP), `snapshot` (the
tables in memory, reloaded consistently), `queue` (review order), `security`
(token, CSRF, headers, body limit), `server` (`serve`), `i18n` (the words).
"""
from __future__ import annotations

from .app import create_app
from .server import serve

__all__ = ["create_app", "serve"]
