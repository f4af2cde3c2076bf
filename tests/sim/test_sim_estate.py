"""Tests for the simulated SMI estate and CPL (sim.estate, sim.parties)."""

from __future__ import annotations

import csv
import re
from collections import Counter
from itertools import islice
from pathlib import Path

import pytest

from sim.estate import (
    CPL_COLUMNS,
    EXTRACT_COLUMNS,
    XLSX_MAX_ROWS,
    EstateRow,
    cpl_entries,
    generate,
    main,
    target_versions,
    write_cpl,
    write_extract,
)
from sim.parties import SUPPLIERS

GUID = re.compile(r"^[0-9A-F]{2}(-[0-9A-F]{2}){7}$")
SMI_STATUSES = {
    "Pending", "Whitelisted", "InstalledNotCommissioned", "Commissioned", "Decommissioned",
    "Withdrawn", "Suspended", "Recovery", "Recovered",
}  # fmt: skip
N = 50_000


@pytest.fixture(scope="module")
def estate() -> list[EstateRow]:
    return list(generate(N, seed=1))


def share(count: int, total: int) -> float:
    return count / total


def test_same_seed_same_estate_other_seed_other_estate() -> None:
    assert list(generate(2_000, seed=7)) == list(generate(2_000, seed=7))
    a, b = list(generate(2_000, seed=7)), list(generate(2_000, seed=8))
    assert not {r.guid for r in a} & {r.guid for r in b}
    assert [r[1:] for r in a] != [r[1:] for r in b]


def test_larger_estate_extends_smaller_one_across_chunks() -> None:
    small = list(generate(1_000, seed=3))
    assert list(islice(generate(60_000, seed=3), 1_000)) == small
    # The rows after the first chunk do not depend on n either.
    assert list(generate(60_001, seed=3))[-2] == list(generate(60_000, seed=3))[-1]


def test_guids_canonical_and_unique(estate: list[EstateRow]) -> None:
    assert all(GUID.match(r.guid) for r in estate)
    assert len({r.guid for r in estate}) == N
    # Several manufacturer prefixes, and tails that do not simply count up.
    assert len({r.guid[:8] for r in estate}) >= 3
    assert estate[0].guid[9:] != estate[1].guid[9:] and estate[1].guid[-2:] != "01"


def test_rows_hold_only_known_values(estate: list[EstateRow]) -> None:
    ids = {s.party_id for s in SUPPLIERS} | {""}
    assert {r.smi_status for r in estate} <= SMI_STATUSES
    assert {r.csp_region for r in estate} == {"North", "Central", "South"}
    assert {r.import_supplier for r in estate} <= ids
    assert {r.gas_supplier for r in estate} <= ids
    assert all(r.import_supplier or r.gas_supplier for r in estate)


def test_status_and_region_shares(estate: list[EstateRow]) -> None:
    statuses = Counter(r.smi_status for r in estate)
    assert share(statuses["Commissioned"], N) == pytest.approx(0.94, abs=0.01)
    assert len(statuses) == len(SMI_STATUSES)  # every status shows up in a large estate
    regions = Counter(r.csp_region for r in estate)
    assert share(regions["North"], N) == pytest.approx(0.30, abs=0.015)
    assert share(regions["Central"], N) == pytest.approx(0.35, abs=0.015)


def test_household_supply_shares(estate: list[EstateRow]) -> None:
    electricity_only = sum(1 for r in estate if not r.gas_supplier)
    gas_only = sum(1 for r in estate if not r.import_supplier)
    dual = [r for r in estate if r.import_supplier and r.gas_supplier]
    split = sum(1 for r in dual if r.import_supplier != r.gas_supplier)
    assert share(electricity_only, N) == pytest.approx(0.20, abs=0.01)
    assert share(gas_only, N) == pytest.approx(0.01, abs=0.004)
    assert share(split, len(dual)) == pytest.approx(0.25, abs=0.015)


def test_supplier_shares_follow_market_share(estate: list[EstateRow]) -> None:
    imports = Counter(r.import_supplier for r in estate if r.import_supplier)
    (largest, count), *_ = imports.most_common()
    assert largest == max(SUPPLIERS, key=lambda s: s.market_share).party_id
    assert share(count, imports.total()) == pytest.approx(0.25, abs=0.015)
    assert set(imports) == {s.party_id for s in SUPPLIERS}  # the long tail is present too


def test_suppliers_are_uneven_with_a_long_tail() -> None:
    ids = [s.party_id for s in SUPPLIERS]
    assert 18 <= len(SUPPLIERS) <= 22 and len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[A-Z]{3,5}", i) for i in ids)
    assert sum(s.market_share for s in SUPPLIERS) == pytest.approx(1.0)
    assert max(s.market_share for s in SUPPLIERS) == pytest.approx(0.25, abs=0.02)
    assert sum(1 for s in SUPPLIERS if s.market_share < 0.01) >= 8


def test_every_hub_model_and_version_is_on_the_cpl(estate: list[EstateRow]) -> None:
    cpl = {(e.device_model, e.firmware_version) for e in cpl_entries()}
    assert {(r.device_model, r.firmware_version) for r in estate} <= cpl


def test_target_versions_are_on_the_cpl_newer_and_on_no_hub(estate: list[EstateRow]) -> None:
    targets = target_versions()
    cpl = {(e.device_model, e.firmware_version) for e in cpl_entries()}
    installed = {(r.device_model, r.firmware_version) for r in estate}
    assert set(targets) == {e.device_model for e in cpl_entries()}
    for model, target in targets.items():
        assert (model, target) in cpl
        assert (model, target) not in installed
        running = [int(v, 16) for m, v in installed if m == model]
        assert len(running) >= 2 and int(target, 16) > max(running)


def test_north_runs_other_models_than_central_and_south(estate: list[EstateRow]) -> None:
    north = {r.device_model for r in estate if r.csp_region == "North"}
    rest = {r.device_model for r in estate if r.csp_region != "North"}
    assert len(north) >= 2 and len(rest) >= 2 and not north & rest


def test_most_hubs_of_a_model_run_one_current_version(estate: list[EstateRow]) -> None:
    for model in target_versions():
        versions = Counter(r.firmware_version for r in estate if r.device_model == model)
        (_, top), *_ = versions.most_common()
        assert 0.6 < top / versions.total() < 0.95


def test_cpl_entries_well_formed_and_stable() -> None:
    entries = cpl_entries()
    assert entries == cpl_entries()
    assert len({(e.device_model, e.firmware_version) for e in entries}) == len(entries)
    assert all(re.fullmatch(r"[0-9A-F]{8}", e.firmware_version) for e in entries)
    assert all(re.fullmatch(r"[0-9a-f]{64}", e.image_hash) for e in entries)
    assert len({e.image_hash for e in entries}) == len(entries)


def test_cpl_csv(tmp_path: Path) -> None:
    path = tmp_path / "cpl.csv"
    assert write_cpl(path) == len(cpl_entries())
    with path.open(encoding="utf-8", newline="") as f:
        lines = list(csv.reader(f))
    assert lines[0] == list(CPL_COLUMNS)
    assert ",".join(CPL_COLUMNS) == (
        "manufacturer,device_model,hardware_version,firmware_version,image_hash"
    )
    assert lines[1:] == [
        [e.manufacturer, e.device_model, e.hardware_version, e.firmware_version, e.image_hash]
        for e in cpl_entries()
    ]


def test_csv_extract_matches_generate(tmp_path: Path) -> None:
    path = tmp_path / "estate.csv"
    assert write_extract(path, 3_000, seed=5) == 3_000
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == (
        "guid,device_model,firmware_version,smi_status,csp_region,import_supplier,gas_supplier"
    )
    with path.open(encoding="utf-8", newline="") as f:
        rows = [EstateRow(*line) for line in islice(csv.reader(f), 1, None)]
    assert rows == list(generate(3_000, seed=5))


def test_empty_extract_has_header_only(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    assert write_extract(path, 0) == 0
    assert path.read_text(encoding="utf-8") == ",".join(EXTRACT_COLUMNS) + "\n"


def test_xlsx_extract(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "estate.xlsx"
    assert write_extract(path, 200, seed=2, fmt="xlsx") == 200
    wb = load_workbook(path, read_only=True)
    # Read-only openpyxl leaves trailing empty cells off a row, as an importer must expect.
    values = [r + (None,) * (7 - len(r)) for r in wb.worksheets[0].iter_rows(values_only=True)]
    wb.close()
    assert values[0] == EXTRACT_COLUMNS
    expected = [tuple(v or None for v in r) for r in generate(200, seed=2)]
    assert values[1:] == expected
    assert any(r[-1] is None for r in values[1:])  # blank supplier is an empty cell


def test_refuses_what_it_cannot_write(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="xlsx sheet"):
        write_extract(tmp_path / "big.xlsx", XLSX_MAX_ROWS + 1, fmt="xlsx")
    assert not (tmp_path / "big.xlsx").exists()
    with pytest.raises(ValueError, match="format"):
        write_extract(tmp_path / "x.txt", 10, fmt="json")
    with pytest.raises(ValueError, match="negative"):
        list(generate(-1))
    with pytest.raises(ValueError, match="negative"):
        write_extract(tmp_path / "neg.csv", -1)
    assert not (tmp_path / "neg.csv").exists()


def test_command_line_writes_extract_and_cpl(tmp_path: Path) -> None:
    out, cpl = tmp_path / "e.csv", tmp_path / "c.csv"
    assert main(["--hubs", "500", "--seed", "4", "--out", str(out), "--cpl-out", str(cpl)]) == 0
    write_extract(tmp_path / "same.csv", 500, seed=4)
    assert out.read_bytes() == (tmp_path / "same.csv").read_bytes()
    assert cpl.read_text(encoding="utf-8").count("\n") == len(cpl_entries()) + 1


def test_command_line_reports_bad_output_path(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder" / "e.csv"
    assert main(["--hubs", "10", "--out", str(missing)]) == 2
