"""Jupyter notebooks: the code cells of an ``.ipynb`` are Python that runs when the agent or user runs the cells.

The JSON is turned into one Python text (cells joined in order, collapsed/hidden cells included); IPython
``!cmd`` and ``%magic`` lines become comments so the text still parses.
"""

from __future__ import annotations

import json


def notebook_source(text: str) -> str | None:
    """The code cells of a notebook as one Python text, or ``None`` if ``text`` is not a notebook."""
    try:
        nb = json.loads(text)
    except ValueError:
        return None
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if not isinstance(cells, list):
        return None
    out: list[str] = []
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        src = cell.get("source", "")
        code = "".join(s for s in src if isinstance(s, str)) if isinstance(src, list) else str(src)
        for row in code.split("\n"):
            out.append("# " + row if row.lstrip().startswith(("!", "%")) else row)
        out.append("")
    return "\n".join(out)
