"""The definitions page, rendered from docs/metrics.md so the two never drift apart. The
file uses headings, paragraphs, tables, `code` and **bold** only, so a few lines render it
(no Markdown package is a dependency of ours); everything is escaped first."""

import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

SOURCE = Path(settings.BASE_DIR) / "docs" / "metrics.md"


def _inline(text: str) -> str:
    html = escape(text)
    html = re.sub(r"`([^`]+)`", r"<code>\1</code>", html)
    return re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", html)


def _cells(line: str) -> list[str]:
    # A table cell may hold "\|" (an escaped bar, as in an OR of two conditions).
    return [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", line.strip().strip("|"))]


def _table(lines: list[str]) -> str:
    head, body = _cells(lines[0]), [_cells(line) for line in lines[2:]]
    rows = "".join(
        '<tr class="nhsuk-table__row">'
        + "".join(
            f'<th class="nhsuk-table__header" scope="row">{_inline(cell)}</th>'
            if index == 0
            else f'<td class="nhsuk-table__cell">{_inline(cell)}</td>'
            for index, cell in enumerate(row)
        )
        + "</tr>"
        for row in body
    )
    header = "".join(f'<th class="nhsuk-table__header" scope="col">{_inline(cell)}</th>' for cell in head)
    return (
        '<div class="app-table-scroll"><table class="nhsuk-table"><thead class="nhsuk-table__head">'
        f'<tr class="nhsuk-table__row">{header}</tr></thead>'
        f'<tbody class="nhsuk-table__body">{rows}</tbody></table></div>'
    )


def render_markdown(text: str) -> str:
    blocks: list[str] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = block.splitlines()
        heading = re.match(r"^(#{1,4}) (.*)$", lines[0])
        if heading and len(lines) == 1:
            # The page has its own h1: the file's headings move one level down.
            level = min(len(heading.group(1)) + 1, 6)
            title = heading.group(2)
            blocks.append(f'<h{level} id="{slugify(title)}">{_inline(title)}</h{level}>')
        elif all(line.startswith("|") for line in lines) and len(lines) >= 2:
            blocks.append(_table(lines))
        else:
            blocks.append(f"<p>{_inline(' '.join(line.strip() for line in lines))}</p>")
    return "\n".join(blocks)


@lru_cache(maxsize=1)
def rendered() -> SafeString:
    # Escaped cell by cell above: the only markup is what this module writes.
    return mark_safe(render_markdown(SOURCE.read_text(encoding="utf-8")))  # noqa: S308
