"""docs/writing-a-scheme.md shows the worked scheme's files inline (issue 15: an include from
another folder showed nothing on the page as Markdown). Each block marked
``<!-- file: PATH -->`` must be that file, byte for byte, so the page shows the code the tests
install. Run with ``RECIPROCITY_SYNC_DOCS=1`` to copy the files into the page."""

from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "writing-a-scheme.md"
BLOCK = re.compile(r"<!-- file: (?P<path>[^ ]+) -->\n```(?P<lang>\w*)\n(?P<body>.*?)```\n", re.DOTALL)


def _blocks(text: str) -> list[re.Match[str]]:
    return list(BLOCK.finditer(text))


def _sync(text: str) -> str:
    return BLOCK.sub(lambda m: f"<!-- file: {m['path']} -->\n```{m['lang']}\n"
                     f"{(ROOT / m['path']).read_text(encoding='utf-8')}```\n", text)


def test_every_file_shown_inline_is_the_file_the_tests_install() -> None:
    text = PAGE.read_text(encoding="utf-8")
    if os.environ.get("RECIPROCITY_SYNC_DOCS") == "1":
        text = _sync(text)
        PAGE.write_text(text, encoding="utf-8")
    blocks = _blocks(text)
    shown = {m["path"] for m in blocks}
    package = {str(p.relative_to(ROOT)) for p in (ROOT / "docs" / "northshire").rglob("*")
               if p.suffix in {".py", ".toml"} and "__pycache__" not in p.parts}
    assert package <= shown, f"not shown on the page: {sorted(package - shown)}"
    for match in blocks:
        assert match["body"] == (ROOT / match["path"]).read_text(encoding="utf-8"), (
            f"{match['path']} differs from its block in docs/writing-a-scheme.md; run this test with "
            "RECIPROCITY_SYNC_DOCS=1 to copy it in")


def test_the_page_includes_nothing_from_elsewhere() -> None:
    assert "--8<--" not in PAGE.read_text(encoding="utf-8")
