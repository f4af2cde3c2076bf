"""Estate generator: simulated SMI extracts and the CPL they refer to.

``generate`` streams Communications Hub rows with the columns of the SMI estate extract
(see INTERFACES.md); ``write_extract`` writes them as CSV or xlsx and ``write_cpl`` writes
the matching Central Products List. Shares are assumptions for simulation, not SMI data.

Run ``python -m sim.estate --hubs 1000000 --out estate.csv --cpl-out cpl.csv``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import itertools
import os
import random
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from sim.parties import CSP_REGIONS, SUPPLIERS

EXTRACT_COLUMNS = (
    "guid", "device_model", "firmware_version", "smi_status",
    "csp_region", "import_supplier", "gas_supplier",
)  # fmt: skip
CPL_COLUMNS = ("manufacturer", "device_model", "hardware_version", "firmware_version", "image_hash")
XLSX_MAX_ROWS = 1_048_575  # one sheet's rows, less the header; openpyxl does not check


@dataclass(frozen=True, slots=True)
class HubModel:
    """A Communications Hub model on the CPL and how the estate runs it.

    Attributes:
        manufacturer: Manufacturer name on the CPL.
        device_model: CPL model name.
        hardware_version: CPL hardware version (4 hex characters).
        guid_prefix: First three GUID octets (OUI-like) of this model's hubs.
        installed: Firmware versions hubs run, oldest first, each with its weight.
        target: A newer approved version no hub runs yet: the natural release target.
    """

    manufacturer: str
    device_model: str
    hardware_version: str
    guid_prefix: str
    installed: tuple[tuple[str, float], ...]
    target: str


# Most hubs sit on the current version; older ones linger where activations failed or hubs
# were offline, which is what gives a release several from-versions.
HUB_MODELS: tuple[HubModel, ...] = (
    HubModel("Toshiba", "TOSHIBA-CHN-300", "0100", "00-1D-F2",
             (("01020010", 0.04), ("01020014", 0.08), ("0102001A", 0.18), ("01030002", 0.70)),
             "01030010"),
    HubModel("Toshiba", "TOSHIBA-CHN-310", "0200", "00-1D-F3",
             (("02000105", 0.05), ("02000110", 0.20), ("02010003", 0.75)),
             "02010101"),
    HubModel("EDMI", "EDMI-CHF-420", "0004", "00-DB-12",
             (("00020118", 0.03), ("0002011A", 0.07), ("00020124", 0.20), ("0002012F", 0.70)),
             "00020204"),
    HubModel("EDMI", "EDMI-CHF-430", "0005", "00-DB-13",
             (("00030010", 0.15), ("00030021", 0.85)),
             "00030100"),
    HubModel("WNC", "WNC-CHF-250", "0A01", "00-0E-C6",
             (("05010007", 0.06), ("0501000C", 0.24), ("05020001", 0.70)),
             "05020010"),
)  # fmt: skip

# The North CSP's network takes different hubs from Central and South.
REGION_MODELS: dict[str, tuple[tuple[str, float], ...]] = {
    "North": (("TOSHIBA-CHN-300", 0.55), ("TOSHIBA-CHN-310", 0.45)),
    "Central": (("EDMI-CHF-420", 0.50), ("WNC-CHF-250", 0.30), ("EDMI-CHF-430", 0.20)),
    "South": (("EDMI-CHF-420", 0.45), ("WNC-CHF-250", 0.35), ("EDMI-CHF-430", 0.20)),
}

SMI_STATUS_SHARES: tuple[tuple[str, float], ...] = (
    ("Commissioned", 0.940),
    ("InstalledNotCommissioned", 0.018),
    ("Decommissioned", 0.010),
    ("Whitelisted", 0.009),
    ("Pending", 0.008),
    ("Withdrawn", 0.005),
    ("Suspended", 0.004),
    ("Recovery", 0.003),
    ("Recovered", 0.003),
)
ELECTRICITY_ONLY_SHARE = 0.20
GAS_ONLY_SHARE = 0.01
DUAL_FUEL_SHARE = 1 - ELECTRICITY_ONLY_SHARE - GAS_ONLY_SHARE
SPLIT_SHARE_OF_DUAL_FUEL = 0.25

# GUID tails are a bijection of the row counter (odd multiplier mod 2**40), so they look
# shuffled yet never collide, for any n below 2**40, with no set of seen GUIDs to keep.
_TAIL_BITS = 40
_TAIL_MASK = (1 << _TAIL_BITS) - 1
_TAIL_MULTIPLIER = 0x9E3779B97F  # odd: 2**40 / golden ratio, spreads consecutive counters
_CHUNK = 50_000


@dataclass(frozen=True, slots=True)
class CplRow:
    """One CPL entry: an approved firmware version of a hub model."""

    manufacturer: str
    device_model: str
    hardware_version: str
    firmware_version: str
    image_hash: str


class EstateRow(NamedTuple):
    """One row of an SMI estate extract; blank supplier means the home has no such supply."""

    guid: str
    device_model: str
    firmware_version: str
    smi_status: str
    csp_region: str
    import_supplier: str
    gas_supplier: str


def cpl_entries() -> list[CplRow]:
    """Return every CPL entry: each model's installed versions and its target version."""
    return [
        CplRow(m.manufacturer, m.device_model, m.hardware_version, version,
               _image_hash(m, version))
        for m in HUB_MODELS
        for version in [v for v, _ in m.installed] + [m.target]
    ]  # fmt: skip


def target_versions() -> dict[str, str]:
    """Return, per device model, the CPL firmware version no hub runs yet."""
    return {m.device_model: m.target for m in HUB_MODELS}


def write_cpl(path: str | os.PathLike[str]) -> int:
    """Write the CPL as CSV (UTF-8, header ``CPL_COLUMNS``) and return the entry count."""
    rows = cpl_entries()
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(CPL_COLUMNS)
        writer.writerows(
            (r.manufacturer, r.device_model, r.hardware_version, r.firmware_version, r.image_hash)
            for r in rows
        )
    return len(rows)


def generate(n: int = 200_000, seed: int = 1) -> Iterator[EstateRow]:
    """Yield ``n`` simulated hubs, deterministic for a seed, in flat memory.

    The first ``n`` rows for a seed are the same whatever ``n`` is, so a larger estate
    extends a smaller one.

    Args:
        n: Number of hubs.
        seed: Seed; the same seed always gives the same estate.

    Yields:
        One ``EstateRow`` per hub, GUIDs unique.
    """
    t = _tables()
    for guids, hubs, homes in _draw_chunks(n, seed):
        for guid, h, s in zip(guids, hubs, homes, strict=True):
            yield EstateRow(guid, *t.hub_fields[h], *t.home_fields[s])


def write_extract(
    path: str | os.PathLike[str], n: int = 200_000, seed: int = 1, fmt: str = "csv"
) -> int:
    """Write a simulated SMI extract and return the number of hubs written.

    Args:
        path: File to write (replaced if present).
        n: Number of hubs.
        seed: Seed passed to ``generate``.
        fmt: ``"csv"`` (UTF-8, header ``EXTRACT_COLUMNS``) or ``"xlsx"`` (one sheet, so at
            most ``XLSX_MAX_ROWS`` hubs; slow, meant for small demo files).

    Raises:
        ValueError: Unknown format, negative ``n``, or too many hubs for one xlsx sheet.
    """
    if n < 0:  # refused before the file is touched
        raise ValueError(f"number of hubs must not be negative, got {n}")
    if fmt == "csv":
        return _write_csv(path, n, seed)
    if fmt == "xlsx":
        return _write_xlsx(path, n, seed)
    raise ValueError(f"unknown extract format {fmt!r}: use 'csv' or 'xlsx'")


class _Tables(NamedTuple):
    """Precomputed categories; one draw per row picks a hub kind, one a household kind."""

    hub_fields: list[tuple[str, str, str, str]]  # device_model, firmware, status, region
    hub_text: list[str]
    hub_prefix: list[str]
    hub_cum: list[float]
    home_fields: list[tuple[str, str]]  # import_supplier, gas_supplier
    home_text: list[str]
    home_cum: list[float]


@cache
def _tables() -> _Tables:
    # Drawing from the joint distributions (two draws a row) is what makes a million rows
    # take seconds: every field of a row comes from two list lookups, no per-field logic.
    models = {m.device_model: m for m in HUB_MODELS}
    hub_fields, hub_prefix, hub_w = [], [], []
    for (region, _, region_w), (status, status_w) in itertools.product(
        CSP_REGIONS, SMI_STATUS_SHARES
    ):
        for model_name, model_w in REGION_MODELS[region]:
            model = models[model_name]
            for version, version_w in model.installed:
                hub_fields.append((model_name, version, status, region))
                hub_prefix.append(model.guid_prefix + "-")
                hub_w.append(region_w * status_w * model_w * version_w)
    home_fields, home_w = [], []
    for imp in SUPPLIERS:
        home_fields += [(imp.party_id, ""), ("", imp.party_id), (imp.party_id, imp.party_id)]
        home_w += [
            ELECTRICITY_ONLY_SHARE * imp.market_share,
            GAS_ONLY_SHARE * imp.market_share,
            DUAL_FUEL_SHARE * (1 - SPLIT_SHARE_OF_DUAL_FUEL) * imp.market_share,
        ]
        # Gas supplier by market share among the others: keeps the import marginal exact.
        split = DUAL_FUEL_SHARE * SPLIT_SHARE_OF_DUAL_FUEL * imp.market_share
        for gas in SUPPLIERS:
            if gas is not imp:
                home_fields.append((imp.party_id, gas.party_id))
                home_w.append(split * gas.market_share / (1 - imp.market_share))
    return _Tables(
        hub_fields=hub_fields,
        hub_text=[",".join(f) for f in hub_fields],
        hub_prefix=hub_prefix,
        hub_cum=list(itertools.accumulate(hub_w)),
        home_fields=home_fields,
        home_text=[",".join(f) for f in home_fields],
        home_cum=list(itertools.accumulate(home_w)),
    )


def _draw_chunks(n: int, seed: int) -> Iterator[tuple[list[str], list[int], list[int]]]:
    """Yield (guids, hub category indexes, household category indexes) chunk by chunk."""
    if n < 0:
        raise ValueError(f"number of hubs must not be negative, got {n}")
    t = _tables()
    master = random.Random(seed)
    offset = master.getrandbits(_TAIL_BITS)
    # Separate streams, so the draws for row i do not depend on the chunk size or on n.
    hub_rng = random.Random(master.getrandbits(64))
    home_rng = random.Random(master.getrandbits(64))
    hub_ids, home_ids = range(len(t.hub_cum)), range(len(t.home_cum))
    prefix = t.hub_prefix
    for start in range(0, n, _CHUNK):
        k = min(_CHUNK, n - start)
        hubs = hub_rng.choices(hub_ids, cum_weights=t.hub_cum, k=k)
        homes = home_rng.choices(home_ids, cum_weights=t.home_cum, k=k)
        guids = [
            prefix[h]
            + ((i * _TAIL_MULTIPLIER + offset) & _TAIL_MASK).to_bytes(5, "big").hex("-").upper()
            for i, h in enumerate(hubs, start)
        ]
        yield guids, hubs, homes


def _write_csv(path: str | os.PathLike[str], n: int, seed: int) -> int:
    t = _tables()
    hub_text, home_text = t.hub_text, t.home_text
    count = 0
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(",".join(EXTRACT_COLUMNS) + "\n")
        for guids, hubs, homes in _draw_chunks(n, seed):
            f.write("".join([
                f"{g},{hub_text[h]},{home_text[s]}\n"
                for g, h, s in zip(guids, hubs, homes, strict=True)
            ]))  # fmt: skip
            count += len(guids)
    return count


def _write_xlsx(path: str | os.PathLike[str], n: int, seed: int) -> int:
    from openpyxl import Workbook  # only the xlsx path pays for the import

    if n > XLSX_MAX_ROWS:
        raise ValueError(
            f"{n} hubs do not fit one xlsx sheet (at most {XLSX_MAX_ROWS}); write CSV instead"
        )
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("estate")
    ws.freeze_panes = "A2"  # before the first append, or openpyxl drops it
    for letter, width in zip("ABCDEFG", (26, 18, 18, 26, 10, 16, 14), strict=True):
        ws.column_dimensions[letter].width = width
    ws.append(EXTRACT_COLUMNS)
    count = 0
    for row in generate(n, seed):
        # An empty cell, not an empty string, is what a blank supplier looks like in Excel.
        ws.append([value or None for value in row])
        count += 1
    wb.save(path)
    return count


def _image_hash(model: HubModel, version: str) -> str:
    # Deterministic stand-in for the SHA-256 of a firmware image.
    image = f"{model.manufacturer}|{model.device_model}|{model.hardware_version}|{version}"
    return hashlib.sha256(image.encode()).hexdigest()


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: write a simulated SMI extract and, optionally, the CPL."""
    parser = argparse.ArgumentParser(
        prog="python -m sim.estate", description="Write a simulated SMI estate extract."
    )
    parser.add_argument("--hubs", type=int, default=200_000, help="number of hubs")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--out", required=True, help="extract file, .csv or .xlsx")
    parser.add_argument("--format", choices=("csv", "xlsx"), help="default: from --out")
    parser.add_argument("--cpl-out", help="also write the CPL as CSV here")
    args = parser.parse_args(argv)
    fmt = args.format or ("xlsx" if args.out.lower().endswith(".xlsx") else "csv")
    began = time.perf_counter()
    try:
        count = write_extract(args.out, args.hubs, args.seed, fmt)
        if args.cpl_out:
            entries = write_cpl(args.cpl_out)
            print(f"wrote {entries} CPL entries to {args.cpl_out}", file=sys.stderr)
    except (ValueError, OSError) as exc:
        print(f"sim.estate: {exc}", file=sys.stderr)
        return 2
    print(
        f"wrote {count:,} hubs to {args.out} in {time.perf_counter() - began:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
