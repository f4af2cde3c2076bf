"""Reading the files that come in: CSV (UTF-8, BOM allowed) or XLSX (first sheet).

Rows are streamed, never loaded whole, and each comes with the line number a person
would see in a spreadsheet program (the header is line 1).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import Any

from chconsole.core.vocabulary.errors import BadInput

Row = tuple[int, dict[str, str]]
Fields = tuple[int, tuple[str, ...]]


def read_fields(
    path: Path, required: Sequence[str], what: str, optional: Sequence[str] = ()
) -> Iterator[Fields]:
    """Yield (line number, the values of REQUIRED then OPTIONAL columns, in that order).

    The fast path for big files: no dict per row. A missing optional column reads as "".
    """
    rows = read_rows(path, required, what, raw=True)
    header = next(rows)[1]
    names = list(header)
    index = [names.index(c) for c in required]
    index += [names.index(c) if c in names else len(names) for c in optional]
    if len(index) == 1:
        only = index[0]
        for line, values in rows:
            yield line, (values[only] if only < len(values) else "",)
        return
    pick = itemgetter(*index)
    width = max(index) + 1
    for line, values in rows:
        if len(values) < width:
            values = [*values, *([""] * (width - len(values)))]
        yield line, pick(values)


def read_rows(path: Path, required: Sequence[str], what: str, raw: bool = False) -> Iterator[Any]:
    """Yield (line number, {lower-case header: text}) for each data row of PATH.

    Raises BadInput naming the problem when the file cannot be read at all or lacks a
    required column; nothing has been yielded at that point.
    """
    if not path.exists():
        raise BadInput(f"The {what} file {str(path)!r} does not exist.")
    if not path.is_file():
        raise BadInput(f"The {what} path {str(path)!r} is not a file.")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_rows(path, required, what, raw)
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_rows(path, required, what, raw)
    raise BadInput(
        f"The {what} file {path.name!r} is neither .csv nor .xlsx; save it in one of those."
    )


def _headers(raw: Sequence[object], required: Sequence[str], path: Path, what: str) -> list[str]:
    names = [str(h).strip().lower() if h is not None else "" for h in raw]
    missing = [c for c in required if c not in names]
    if missing:
        found = ", ".join(n for n in names if n) or "no header at all"
        raise BadInput(
            f"The {what} file {path.name!r} lacks the column(s) {', '.join(missing)} "
            f"(its header row has: {found})."
        )
    return names


def csv_reader(
    path: Path,
    required: Sequence[str],
    what: str,
    progress: Callable[[int], None] | None = None,
    every: int = 50_000,
) -> tuple[list[int], Iterator[list[str]]] | None:
    """For a .csv file: the REQUIRED columns' positions and the bare rows, header read.

    The bulk path for millions of rows: no line numbers, no dicts; blank lines come
    through as empty lists. None for any other kind of file.
    """
    if path.suffix.lower() != ".csv" or not path.is_file():
        return None
    handle, names = _open_csv(path, required, what)

    def rows() -> Iterator[list[str]]:
        with handle:
            try:
                reader = csv.reader(handle)
                if progress is None:
                    yield from reader
                    return
                while chunk := list(islice(reader, every)):
                    yield from chunk
                    progress(reader.line_num - 1)
            except UnicodeDecodeError:
                raise BadInput(f"The {what} file {path.name!r} is not UTF-8 text.") from None
            except csv.Error as exc:
                raise BadInput(f"The {what} file {path.name!r} is not valid CSV: {exc}.") from None

    return [names.index(c) for c in required], rows()


def _open_csv(path: Path, required: Sequence[str], what: str) -> tuple[io.TextIOWrapper, list[str]]:
    try:
        handle = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed by _csv_body
        first = handle.readline()
    except UnicodeDecodeError:
        raise BadInput(f"The {what} file {path.name!r} is not UTF-8 text.") from None
    except OSError as exc:
        raise BadInput(f"The {what} file {path.name!r} cannot be read: {exc.strerror}.") from None
    if not first.strip():
        handle.close()
        raise BadInput(f"The {what} file {path.name!r} is empty: it has no header row.")
    header = next(csv.reader([first]))
    try:
        names = _headers(header, required, path, what)
    except BadInput:
        handle.close()
        raise
    return handle, names


def _csv_rows(path: Path, required: Sequence[str], what: str, raw: bool) -> Iterator[Any]:
    handle, names = _open_csv(path, required, what)
    return _csv_body(handle, names, path, what, raw)


def _csv_body(
    handle: io.TextIOWrapper, names: list[str], path: Path, what: str, raw: bool
) -> Iterator[Any]:
    width = len(names)
    if raw:  # the header first, then bare lists
        yield 1, names
    with handle:
        reader = csv.reader(handle)
        try:
            for index, values in enumerate(reader, start=2):
                if not values or (len(values) == 1 and not values[0].strip()):
                    continue
                if raw:
                    yield index, values
                    continue
                if len(values) < width:
                    values = values + [""] * (width - len(values))
                yield index, dict(zip(names, values, strict=False))
        except UnicodeDecodeError:
            raise BadInput(f"The {what} file {path.name!r} is not UTF-8 text.") from None
        except csv.Error as exc:
            raise BadInput(f"The {what} file {path.name!r} is not valid CSV: {exc}.") from None


def _xlsx_rows(path: Path, required: Sequence[str], what: str, raw: bool) -> Iterator[Any]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError):
        raise BadInput(f"The {what} file {path.name!r} is not a readable .xlsx workbook.") from None
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        book.close()
        raise BadInput(f"The {what} file {path.name!r} is empty: it has no header row.")
    names = _headers(header, required, path, what)
    return _xlsx_body(book, rows, names, raw)


def _xlsx_body(
    book: object, rows: Iterator[tuple[object, ...]], names: list[str], raw: bool
) -> Iterator[Any]:
    if raw:
        yield 1, names
    try:
        for index, values in enumerate(rows, start=2):
            if values is None or all(v is None or str(v).strip() == "" for v in values):
                continue
            texts = ["" if v is None else _text(v) for v in values]
            # Read-only sheets leave trailing empty cells off a row.
            texts += [""] * (len(names) - len(texts))
            yield index, texts if raw else dict(zip(names, texts, strict=False))
    finally:
        book.close()  # type: ignore[attr-defined]


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def guid_entries(file: Path) -> list[tuple[int, str]]:
    """The (line, GUID text) entries of a GUID list; a list with none is refused."""
    entries = [(line, values[0]) for line, values in read_fields(file, ("guid",), "GUID list")]
    if not entries:
        raise BadInput(f"{file.name} lists no GUIDs.")
    return entries
