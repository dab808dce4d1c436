"""One settings object, read from ``KILDE_*`` environment variables where it is built."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"environment variable {name} must be an integer, got {value!r}") from None


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Run-time settings. Build with :meth:`from_env` where needed, not at import."""

    max_input_bytes: int = 20 * 1024 * 1024
    model: str | None = None
    data_dir: Path = field(default_factory=lambda: Path.home() / ".local" / "share" / "kilde")

    @classmethod
    def from_env(cls) -> Settings:
        data_home = os.environ.get("XDG_DATA_HOME")
        data_dir = Path(os.environ.get("KILDE_DATA_DIR") or (Path(data_home) / "kilde" if data_home else Path.home() / ".local" / "share" / "kilde"))
        return cls(
            max_input_bytes=_env_int("KILDE_MAX_INPUT_BYTES", cls.max_input_bytes),
            model=os.environ.get("KILDE_MODEL") or None,
            data_dir=data_dir,
        )
