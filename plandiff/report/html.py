"""The HTML pages: index.html, one plan-<id>.html per plan and, when plans form chains,
lineage.html; rendered from templates/.

Document text reaches the pages only through the templates' autoescaping (see
`templating`): a plan that contains `<script>` shows the characters, never
runs them.
"""
from __future__ import annotations

import logging
from pathlib import Path

from .data import ReportData
from .html_index import render_index
from .html_lineage import LINEAGE_PAGE, render_lineage
from .html_plan import render_plan
from .i18n import Translator
from .templating import environment

log = logging.getLogger(__name__)


def write_html(data: ReportData, report_dir: Path, t: Translator) -> list[Path]:
    """index.html, one plan-<id>.html per plan and lineage.html when plans form chains
    (`ReportData.chains`); returns the paths written."""
    env = environment(t.lang)
    written = []
    index = report_dir / "index.html"
    index.write_text(render_index(env, data), encoding="utf-8")
    written.append(index)
    for plan in data.plans:
        path = report_dir / plan.page_name
        path.write_text(render_plan(env, data, plan), encoding="utf-8")
        written.append(path)
    if data.chains:
        path = report_dir / LINEAGE_PAGE
        path.write_text(render_lineage(env, data), encoding="utf-8")
        written.append(path)
    log.debug("wrote %d HTML pages under %s", len(written), report_dir)
    return written
