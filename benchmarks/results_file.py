"""Shared by the benchmark commands: the commit they ran at, their JSON results file and their section of RESULTS.md."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS_MD = ROOT / "benchmarks" / "RESULTS.md"


def git_commit() -> str:
    return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False).stdout.strip() or "unknown"


def replace_section(section: str, *, start: str, end: str, heading: str) -> None:
    """Put ``section`` (which begins with ``start`` and ends with ``end``) into RESULTS.md.

    The file is re-read right before writing: other benchmarks own the rest of it. The heading
    stays outside the markers, so a section read "until the next ## heading" stops before them.
    """
    text = RESULTS_MD.read_text(encoding="utf-8") if RESULTS_MD.is_file() else "# Benchmark results\n\n"
    if start in text and end in text:
        text = text[: text.index(start)] + section.rstrip("\n") + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip("\n") + "\n\n" + heading + "\n\n" + section
    RESULTS_MD.write_text(text, encoding="utf-8")


def save_results(result: dict[str, Any], section: str, *, json_path: Path, start: str, end: str, heading: str) -> None:
    """Write ``result`` to ``json_path`` and ``section`` into RESULTS.md (see :func:`replace_section`)."""
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    replace_section(section, start=start, end=end, heading=heading)
