"""Turning bytes into text, or a clear reason why not."""

from __future__ import annotations

from kilde.errors import BinaryInputError, EmptyInputError

# Magic numbers of formats that are certainly not articles.
_BINARY_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"PK\x03\x04", b"\x7fELF", b"\x1f\x8b")


def looks_binary(data: bytes) -> bool:
    head = data[:4096]
    if head.startswith(_BINARY_MAGIC) or b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return bool(head) and controls / len(head) > 0.05


def decode(data: bytes, where: str) -> tuple[str, list[str]]:
    """Decode article bytes: UTF-8 (with or without BOM), else Windows-1252, else Latin-1.

    Danish text that is not UTF-8 is nearly always Windows-1252 or its subset
    Latin-1, so those are tried in that order and the fallback is reported as a
    warning rather than guessed silently.
    """
    if not data.strip():
        raise EmptyInputError(where, "the file is empty")
    if looks_binary(data):
        raise BinaryInputError(where, "binary data, not text (NUL or control bytes, or a known binary format)")
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        bad = exc.start
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text, [f"{where}: not valid UTF-8 (byte {bad}); decoded as {encoding}"]
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover
