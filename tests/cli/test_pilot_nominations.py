"""R2 from the outside, part one: nominating the pilot group.

The cap, every reason a GUID can be refused for, split-supply consent, business rules and
the receipt each supplier gets. Every estate is built here, hub by hub.
"""

from __future__ import annotations

import sqlite3
from collections import Counter

import pytest
from chc_helpers import (
    NEW,
    OLD,
    OLDER,
    REGIONS,
    Cli,
    eml_attachments,
    eml_body,
    guid,
    hubs,
    nominate,
    nominated,
    notices,
    notified_release,
    pilot_release,
    place,
    report_dicts,
    sheet_rows,
    supplier_files,
)
from openpyxl import Workbook

BOTH = [guid(n) for n in range(1, 13)]  # OCTO holds both roles: 4 a region
SPLIT = [guid(n) for n in range(20, 24)]  # import OCTO, gas BGAS
EDFE_HUB = guid(30)  # EDFE, electricity only, South
PENDING, ON_TARGET, OTHER_MODEL, OTHER_FIRMWARE = guid(31), guid(32), guid(33), guid(34)
SPWR_HUB = guid(35)
EDFE_OLDER = guid(36)  # on the release's second from-version
NOWHERE = guid(99)  # not in the SMI

ESTATE = [
    *hubs(1, 4, "North", "OCTO", "OCTO"), *hubs(5, 4, "Central", "OCTO", "OCTO"),
    *hubs(9, 4, "South", "OCTO", "OCTO"),
    *hubs(20, 2, "North", "OCTO", "BGAS"), *hubs(22, 2, "Central", "OCTO", "BGAS"),
    *hubs(30, 1, "South", "EDFE"),
    *hubs(31, 1, "South", "EDFE", status="Pending"),
    *hubs(32, 1, "South", "EDFE", firmware=NEW),
    *hubs(33, 1, "South", "EDFE", model="WNC-CHF-250"),
    *hubs(34, 1, "South", "EDFE", firmware="00010000"),
    *hubs(35, 1, "South", "SPWR"),
    *hubs(36, 1, "North", "EDFE", firmware=OLDER),
]

NAMES = {"OCTO": "Octopus Energy", "BGAS": "British Gas", "EDFE": "EDF Energy", "SPWR": "ScottishPower"}


@pytest.fixture
def nominating(cli: Cli) -> Cli:
    """Release 1 notified over ESTATE: 12 + 4 + 2 eligible hubs."""
    assert pilot_release(cli, ESTATE) == 1
    return cli


def _nothing_nominated(cli: Cli, release: int = 1) -> None:
    shown = cli.ok_json("pilot", "show", str(release))
    assert shown["state"] == "NONE" and shown["nominations"] == [] and shown["hubs"] == 0
    assert {n["kind"] for n in notices(cli)} == {"RELEASE_NOTICE"}


# -- the cap ---------------------------------------------------------------------------------

def test_a_nomination_over_the_default_cap_of_300_is_refused_whole(cli):
    pilot_release(cli, hubs(1, 305, "Central", "EDFE"))
    r = nominate(cli, 1, "EDFE", [guid(n) for n in range(1, 302)])
    assert r.status == 2 and "301" in r.err and "300" in r.err and "refused whole" in r.err
    _nothing_nominated(cli)
    assert cli.ok_json("release", "show", "1")["counts"] == {"ELIGIBLE": 305}

    assert nominated(cli, 1, "EDFE", [guid(n) for n in range(1, 301)])["accepted"] == 300  # the cap itself
    r = nominate(cli, 1, "EDFE", [guid(301)])  # cumulative: one more passes it
    assert r.status == 2 and "already nominated 300" in r.err
    assert {k: n for k, n in cli.ok_json("release", "show", "1")["counts"].items() if n} == {
        "SCHEDULED": 300, "ELIGIBLE": 5}
    assert len(notices(cli, "NOMINATION_RECEIPT")) == 1
    assert place(cli, guid(301))["state"] == "ELIGIBLE"


def test_the_cap_is_set_per_release_and_counts_every_nomination_of_one_supplier(cli):
    capped = pilot_release(cli, [*hubs(1, 10, "North", "EDFE"), *hubs(11, 4, "North", "OCTO")],
                           "--pilot-cap", "5")
    other = notified_release(cli)
    assert cli.ok_json("pilot", "show", str(capped))["cap"] == 5
    six = [guid(n) for n in range(1, 7)]

    r = nominate(cli, capped, "EDFE", six)
    assert r.status == 2 and "cap of 5" in r.err
    _nothing_nominated(cli, capped)
    assert nominated(cli, other, "EDFE", six)["accepted"] == 6  # release 2 keeps the default cap

    assert nominated(cli, capped, "EDFE", six[:3])["accepted"] == 3
    r = nominate(cli, capped, "EDFE", six[3:])  # 3 + 3 > 5: the second is refused whole
    assert r.status == 2
    assert [place(cli, g, capped)["state"] for g in six] == ["SCHEDULED"] * 3 + ["ELIGIBLE"] * 3
    assert nominated(cli, capped, "EDFE", six[3:5])["accepted"] == 2  # 5 in all: allowed
    # The cap is per supplier: another supplier nominates its own hubs in full.
    assert nominated(cli, capped, "OCTO", [guid(n) for n in range(11, 15)])["accepted"] == 4
    receipts = notices(cli, "NOMINATION_RECEIPT")
    assert [(n["release"], n["recipient"]) for n in receipts] == [
        (other, "EDFE"), (capped, "EDFE"), (capped, "EDFE"), (capped, "OCTO")]


def test_blank_rows_of_a_saved_spreadsheet_do_not_count_towards_the_cap(cli):
    capped = pilot_release(cli, hubs(1, 5, "North", "EDFE"), "--pilot-cap", "3")
    path = cli.tmp / "saved-from-excel.csv"
    path.write_text(f"guid,note\n{guid(1)},a\n,\n{guid(2)},b\n{guid(3)},c\n,\n", encoding="utf-8")
    r = cli.ok_json("pilot", "nominate", str(capped), "--supplier", "EDFE", "--file", str(path))
    assert r["accepted"] == 3
    assert r["rejected"] == [{"guid": "", "reason": "MALFORMED_GUID", "line": 3},
                             {"guid": "", "reason": "MALFORMED_GUID", "line": 6}]


# -- reasons ---------------------------------------------------------------------------------

def test_each_refused_guid_gets_its_reason_and_the_good_ones_go_ahead(nominating):
    sent = ["not-a-guid", EDFE_HUB.lower().replace("-", ""), EDFE_HUB, NOWHERE, OTHER_MODEL,
            OTHER_FIRMWARE, SPWR_HUB, PENDING, ON_TARGET, EDFE_OLDER.replace("-", "")]
    r = nominated(nominating, 1, "EDFE", sent)
    assert r["rejected"] == [  # header is line 1
        {"guid": "not-a-guid", "reason": "MALFORMED_GUID", "line": 2},
        {"guid": EDFE_HUB, "reason": "DUPLICATE_IN_REQUEST", "line": 4},
        {"guid": NOWHERE, "reason": "UNKNOWN_GUID", "line": 5},
        {"guid": OTHER_MODEL, "reason": "NOT_ELIGIBLE", "line": 6},
        {"guid": OTHER_FIRMWARE, "reason": "NOT_ELIGIBLE", "line": 7},
        {"guid": SPWR_HUB, "reason": "NOT_RESPONSIBLE", "line": 8},
        {"guid": PENDING, "reason": "NOT_COMMISSIONED", "line": 9},
        {"guid": ON_TARGET, "reason": "ALREADY_ON_TARGET", "line": 10},
    ]
    assert (r["accepted"], r["joined"], r["awaiting"]) == (2, 2, 0)
    for g in (EDFE_HUB, EDFE_OLDER):
        assert {k: place(nominating, g)[k] for k in ("state", "group")} == {"state": "SCHEDULED", "group": "pilot"}
    for g in (OTHER_MODEL, OTHER_FIRMWARE, PENDING, ON_TARGET):  # never in the release: untouched
        assert nominating.ok_json("hub", "show", g)["releases"] == []
    assert place(nominating, SPWR_HUB)["state"] == "ELIGIBLE"


def test_a_hub_nominated_twice_by_the_same_supplier_is_already_scheduled(nominating):
    first = nominated(nominating, 1, "OCTO", [BOTH[0], SPLIT[0]])
    assert (first["joined"], first["awaiting"]) == (1, 1)
    again = nominated(nominating, 1, "OCTO", [SPLIT[0], BOTH[0], BOTH[1]])
    assert again["rejected"] == [
        {"guid": SPLIT[0], "reason": "ALREADY_SCHEDULED", "line": 2},
        {"guid": BOTH[0], "reason": "ALREADY_SCHEDULED", "line": 3},
    ]
    assert again["accepted"] == 1
    # Nominating it again is no consent: the split hub still waits for its gas supplier.
    assert place(nominating, SPLIT[0])["state"] == "AWAITING_OTHER_SUPPLIER"
    assert place(nominating, BOTH[0])["state"] == "SCHEDULED"


def test_a_revoked_release_refuses_every_guid_as_not_open(nominating):
    nominating.ok("release", "revoke", "1", "--reason", "Image withdrawn")
    r = nominated(nominating, 1, "EDFE", [EDFE_HUB, "zz", EDFE_OLDER])
    assert r["rejected"] == [
        {"guid": EDFE_HUB, "reason": "RELEASE_NOT_OPEN", "line": 2},
        {"guid": "zz", "reason": "MALFORMED_GUID", "line": 3},
        {"guid": EDFE_OLDER, "reason": "RELEASE_NOT_OPEN", "line": 4},
    ]
    assert r["accepted"] == 0
    assert place(nominating, EDFE_HUB)["state"] == "CANCELLED"


def test_nominations_close_when_the_pilot_starts(nominating):
    nominated(nominating, 1, "OCTO", [BOTH[0]])
    nominating.ok("pilot", "start", "1")
    r = nominate(nominating, 1, "EDFE", [EDFE_HUB])
    assert r.status == 2 and "closed" in r.err
    assert place(nominating, EDFE_HUB)["state"] == "ELIGIBLE"


# -- GUID files ------------------------------------------------------------------------------

def test_guids_in_lower_case_or_without_hyphens_are_accepted_and_shown_canonical(nominating):
    sent = [BOTH[0].lower(), BOTH[1].replace("-", ""), BOTH[2].lower().replace("-", "")]
    assert nominated(nominating, 1, "OCTO", sent)["accepted"] == 3
    out = nominating.tmp / "octo-pilot.xlsx"
    nominating.ok("export", "pilot", "--supplier", "OCTO", "--release", "1", "--out", str(out))
    assert sorted(report_dicts(out)) == BOTH[:3]
    shown = nominating.ok_json("hub", "show", BOTH[2].lower().replace("-", ""))
    assert shown["guid"] == BOTH[2]
    (receipt,) = notices(nominating, "NOMINATION_RECEIPT")
    (book,) = eml_attachments(receipt["file"]).values()
    assert [row[1] for row in sheet_rows(book)[1]] == BOTH[:3]


def test_a_guid_list_may_be_a_csv_with_a_bom_or_an_xlsx(nominating):
    csv_file = nominating.tmp / "from-excel.csv"
    csv_file.write_text(f"Note,GUID\nfirst,{BOTH[0]}\nsecond,{BOTH[1]}\n", encoding="utf-8-sig")
    assert csv_file.read_bytes().startswith(b"\xef\xbb\xbf")
    r = nominating.ok_json("pilot", "nominate", "1", "--supplier", "OCTO", "--file", str(csv_file))
    assert (r["accepted"], r["rejected"]) == (2, [])

    book = Workbook()
    sheet = book.active
    sheet.append(["Guid", "Comment"])
    sheet.append([BOTH[2].lower(), "one"])
    sheet.append(["nonsense", "two"])
    xlsx_file = nominating.tmp / "list.xlsx"
    book.save(xlsx_file)
    r = nominating.ok_json("pilot", "nominate", "1", "--supplier", "OCTO", "--file", str(xlsx_file))
    assert r["accepted"] == 1 and r["rejected"] == [{"guid": "nonsense", "reason": "MALFORMED_GUID", "line": 3}]


def test_a_file_that_cannot_be_read_is_refused_whole(nominating):
    no_column = nominating.tmp / "hubs.csv"
    no_column.write_text(f"hub\n{BOTH[0]}\n", encoding="utf-8")
    text_file = nominating.tmp / "hubs.txt"
    text_file.write_text(BOTH[0], encoding="utf-8")
    for path in (no_column, text_file, nominating.tmp / "missing.csv"):
        r = nominating("pilot", "nominate", "1", "--supplier", "OCTO", "--file", str(path))
        assert r.status == 2 and path.name in r.err
    _nothing_nominated(nominating)


# -- split supply ----------------------------------------------------------------------------

def test_a_split_hub_joins_only_when_its_second_supplier_consents(nominating):
    r = nominated(nominating, 1, "OCTO", [SPLIT[0], SPLIT[1], BOTH[0]])
    assert (r["accepted"], r["joined"], r["awaiting"]) == (3, 1, 2)
    for g in SPLIT[:2]:
        assert {k: place(nominating, g)[k] for k in ("state", "group")} == {
            "state": "AWAITING_OTHER_SUPPLIER", "group": "safe_launch"}
    # A supplier holding both roles needs only its own nomination.
    assert {k: place(nominating, BOTH[0])[k] for k in ("state", "group")} == {"state": "SCHEDULED", "group": "pilot"}
    shown = nominating.ok_json("pilot", "show", "1")
    assert (shown["hubs"], shown["awaiting"]) == (1, 2)
    assert notices(nominating, "PILOT_CONSENT") == []

    r = nominated(nominating, 1, "BGAS", [SPLIT[0]])  # the consent
    assert (r["joined"], r["awaiting"]) == (1, 0)
    assert {k: place(nominating, SPLIT[0])[k] for k in ("state", "group")} == {"state": "SCHEDULED", "group": "pilot"}
    assert place(nominating, SPLIT[1])["state"] == "AWAITING_OTHER_SUPPLIER"
    (consent,) = notices(nominating, "PILOT_CONSENT")
    assert consent["recipient"] == "OCTO"  # the first nominator hears; never who consented
    body = eml_body(consent["file"])
    assert "1 split-supply hubs" in body and "BGAS" not in body
    assert nominating.ok_json("pilot", "show", "1")["hubs"] == 2


def test_the_second_supplier_may_nominate_first(nominating):
    assert nominated(nominating, 1, "BGAS", [SPLIT[2]])["awaiting"] == 1
    assert place(nominating, SPLIT[2])["state"] == "AWAITING_OTHER_SUPPLIER"
    assert nominated(nominating, 1, "OCTO", [SPLIT[2]])["joined"] == 1
    assert place(nominating, SPLIT[2])["group"] == "pilot"
    assert [n["recipient"] for n in notices(nominating, "PILOT_CONSENT")] == ["BGAS"]


def test_the_start_drops_hubs_still_awaiting_consent_and_tells_their_nominator(nominating):
    nominated(nominating, 1, "OCTO", [BOTH[0], SPLIT[0]])
    nominated(nominating, 1, "BGAS", [SPLIT[1]])
    nominating.ok("pilot", "start", "1")
    for g in SPLIT[:2]:
        assert {k: place(nominating, g)[k] for k in ("state", "group")} == {"state": "ELIGIBLE", "group": "safe_launch"}
    assert "AWAITING_OTHER_SUPPLIER" not in {k for k, n in nominating.ok_json("release", "show", "1")["counts"].items() if n}
    starts = {n["recipient"]: n for n in notices(nominating, "PILOT_START")}
    assert "1 split-supply hubs you nominated did not join" in eml_body(starts["OCTO"]["file"])
    assert "none of your hubs joined" in str(starts["BGAS"]["subject"])
    assert "1 split-supply hubs you nominated did not join" in eml_body(starts["BGAS"]["file"])


# -- business rules --------------------------------------------------------------------------

# OCTO: per region 10 hubs on OLD (n01-n10) and 10 on OLDER (n11-n20), n = 100, 200, 300.
# EDFE: 4 in the North, 20 in Central, 20 in the South.
RULE_ESTATE = [
    *(row for i, region in enumerate(REGIONS, start=1) for row in [
        *hubs(100 * i + 1, 10, region, "OCTO", "OCTO"),
        *hubs(100 * i + 11, 10, region, "OCTO", "OCTO", firmware=OLDER)]),
    *hubs(401, 4, "North", "EDFE"), *hubs(411, 20, "Central", "EDFE"), *hubs(431, 20, "South", "EDFE"),
]


@pytest.fixture
def ruled(cli: Cli) -> Cli:
    pilot_release(cli, RULE_ESTATE)
    return cli


def _by_rule(cli: Cli, release: int, supplier: str, *words: str) -> dict[str, object]:
    rules = [w for word in words for w in ("--rule", word)]
    r = cli.ok_json("pilot", "nominate", str(release), "--supplier", supplier, *rules)
    assert isinstance(r, dict)
    return r


def _pilot_hubs(cli: Cli, release: int, supplier: str) -> dict[str, dict[str, object]]:
    out = cli.tmp / f"pilot-{release}-{supplier}.xlsx"
    cli.ok("export", "pilot", "--supplier", supplier, "--release", str(release), "--out", str(out))
    return report_dicts(out)


def test_a_count_spread_evenly_over_regions(ruled):
    assert _by_rule(ruled, 1, "OCTO", "count=30", "spread=regions")["accepted"] == 30
    chosen = _pilot_hubs(ruled, 1, "OCTO")
    assert Counter(str(h["CSP region"]) for h in chosen.values()) == {"North": 10, "Central": 10, "South": 10}
    assert {h["State"] for h in chosen.values()} == {"SCHEDULED"}


def test_a_spread_takes_the_rest_from_regions_that_have_more(ruled):
    assert _by_rule(ruled, 1, "EDFE", "count=30 spread=regions")["accepted"] == 30  # words in one --rule
    regions = Counter(str(h["CSP region"]) for h in _pilot_hubs(ruled, 1, "EDFE").values())
    assert regions["North"] == 4 and regions["Central"] + regions["South"] == 26
    assert abs(regions["Central"] - regions["South"]) <= 1


def test_a_count_alone_and_the_from_version_and_region_filters(ruled):
    assert _by_rule(ruled, 1, "OCTO", "count=3")["accepted"] == 3
    assert len(_pilot_hubs(ruled, 1, "OCTO")) == 3
    r = _by_rule(ruled, 1, "OCTO", f"from-version={OLDER}", "region=South", "count=5")
    assert r["accepted"] == 5
    south_older = {guid(n) for n in range(311, 321)}
    chosen = set(_pilot_hubs(ruled, 1, "OCTO"))
    assert len(chosen - south_older) == 3 and len(chosen & south_older) == 5
    # Without a count, a filter takes every matching hub (within the cap).
    assert _by_rule(ruled, 1, "OCTO", f"from-version={OLD}", "region=Central")["accepted"] == 10
    assert {guid(n) for n in range(201, 211)} <= set(_pilot_hubs(ruled, 1, "OCTO"))


def test_the_same_seed_picks_the_same_sample_and_another_seed_another(ruled):
    second, third = notified_release(ruled), notified_release(ruled)
    picks = {}
    for release, seed in ((1, 7), (second, 7), (third, 8)):
        assert _by_rule(ruled, release, "OCTO", "count=10", f"seed={seed}")["accepted"] == 10
        picks[release] = sorted(_pilot_hubs(ruled, release, "OCTO"))
    assert picks[1] == picks[second]
    assert picks[third] != picks[1]
    first_ten = sorted(guid(n) for n in [*range(101, 111)])
    assert picks[1] != first_ten  # a sample, not the first hubs


def test_a_seeded_spread_still_spreads(ruled):
    _by_rule(ruled, 1, "OCTO", "count=9", "spread=regions", "seed=3")
    regions = Counter(str(h["CSP region"]) for h in _pilot_hubs(ruled, 1, "OCTO").values())
    assert regions == {"North": 3, "Central": 3, "South": 3}


def test_hubs_with_an_open_incident_can_be_left_out(ruled):
    # No command raises incidents yet (R6): write one open and one closed, as the desk will.
    with sqlite3.connect(ruled.url.removeprefix("sqlite:///")) as db:
        for number, state, g in ((1, "OPEN", guid(101)), (2, "CLOSED", guid(102))):
            db.execute("INSERT INTO incident (id, release_id, supplier, raised_at, raised_by, description, "
                       "emergency_stop, priority, state) VALUES (?, 1, 'OCTO', '2026-03-02 09:00:00.000000', "
                       "'alice', 'HAN drops', 0, 'HIGH', ?)", (number, state))
            db.execute("INSERT INTO incident_hub (incident_id, hub_id) SELECT ?, id FROM hub WHERE guid = ?",
                       (number, g))
    r = _by_rule(ruled, 1, "OCTO", "region=North", f"from-version={OLD}", "exclude=open-incidents")
    assert r["accepted"] == 9
    assert set(_pilot_hubs(ruled, 1, "OCTO")) == {guid(n) for n in range(102, 111)}


@pytest.mark.parametrize("words", [
    ("colour=blue",), ("count=lots",), ("count=0",), ("region=Midlands",), ("from-version=0002XYZ0",),
    ("seed=x",), ("count=5", "spread=postcodes"),
])
def test_an_unknown_or_malformed_rule_is_refused_and_changes_nothing(ruled, words):
    r = ruled("pilot", "nominate", "1", "--supplier", "OCTO", *(x for w in words for x in ("--rule", w)))
    assert r.status == 2 and words[-1] in r.err
    _nothing_nominated(ruled)


def test_a_nomination_needs_a_file_or_rules_but_not_both(ruled):
    path = ruled.tmp / "g.csv"
    path.write_text(f"guid\n{guid(101)}\n", encoding="utf-8")
    for extra in ((), ("--file", str(path), "--rule", "count=1")):
        r = ruled("pilot", "nominate", "1", "--supplier", "OCTO", *extra)
        assert r.status == 2 and "--file" in r.err and "--rule" in r.err
    _nothing_nominated(ruled)


def test_rules_that_pick_more_than_the_cap_are_refused_whole(cli):
    capped = pilot_release(cli, hubs(1, 10, "North", "OCTO"), "--pilot-cap", "5")
    r = cli("pilot", "nominate", str(capped), "--supplier", "OCTO", "--rule", "count=6")
    assert r.status == 2 and "cap of 5" in r.err
    _nothing_nominated(cli, capped)
    # Without a count, the rule takes what room is left under the cap.
    assert _by_rule(cli, capped, "OCTO", "region=North")["accepted"] == 5


# -- receipts --------------------------------------------------------------------------------

def test_each_supplier_gets_a_receipt_naming_each_refused_guid_and_its_reason(nominating):
    for party, name in NAMES.items():
        nominating.ok("party", "set", party, "--name", name)
    nominated(nominating, 1, "OCTO", [BOTH[0], SPLIT[0], EDFE_HUB, "bad guid", BOTH[0]])
    nominated(nominating, 1, "EDFE", [EDFE_HUB, PENDING])
    nominated(nominating, 1, "BGAS", [SPLIT[0], SPLIT[1]])
    receipts = notices(nominating, "NOMINATION_RECEIPT")
    assert [n["recipient"] for n in receipts] == ["OCTO", "EDFE", "BGAS"]
    octo = receipts[0]
    assert octo["subject"] == "Release 1 pilot nomination: 2 accepted, 3 refused"
    body = eml_body(octo["file"])
    refused = [(4, EDFE_HUB, "NOT_RESPONSIBLE"), (5, "bad guid", "MALFORMED_GUID"),
               (6, BOTH[0], "DUPLICATE_IN_REQUEST")]
    for line, g, reason in refused:
        assert f"line {line}: {g}  {reason}" in body
    assert "Joined the pilot: 1" in body and "Waiting for the hub's second supplier to nominate it too: 1" in body
    ((name, book),) = eml_attachments(octo["file"]).items()
    assert name.endswith(".xlsx")
    header, rows = sheet_rows(book)
    assert header == ["Line", "GUID as sent", "Outcome", "Reason code", "Reason"]
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [
        (2, BOTH[0], "Joined the pilot", None), (3, SPLIT[0], "Waiting for the other supplier", None),
        *((line, g, "Refused", reason) for line, g, reason in refused)]
    assert "neither its Import nor its Gas Supplier" in str(rows[2][4])

    edfe_rows = sheet_rows(next(iter(eml_attachments(receipts[1]["file"]).values())))[1]
    assert [(r[1], r[3]) for r in edfe_rows] == [(EDFE_HUB, None), (PENDING, "NOT_COMMISSIONED")]

    # Nothing a supplier receives names another supplier, by id or by name.
    for party in ("OCTO", "EDFE", "BGAS"):
        files = supplier_files(nominating, party)
        assert any(f.endswith("nomination-receipt.eml") for f in files)
        assert any(f.endswith(".xlsx") for f in files)
        for file, text in files.items():
            assert party in text  # the check can see parties
            for other, other_name in NAMES.items():
                if other != party:
                    assert other not in text and other_name not in text, (party, file, other)


def test_a_supplier_that_nominates_nothing_gets_no_receipt_of_others(nominating):
    nominated(nominating, 1, "OCTO", [BOTH[0]])
    assert [n["recipient"] for n in notices(nominating, "NOMINATION_RECEIPT")] == ["OCTO"]
    assert all(n["recipient"] != "EDFE" or n["kind"] == "RELEASE_NOTICE" for n in notices(nominating))



# -- PostgreSQL --------------------------------------------------------------------------------

def test_nominating_by_file_and_by_seeded_rules_on_postgresql(pg_url, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # a shared database's outbox
    pg = Cli(pg_url, tmp_path)
    pg.ok("init", "--clock", "simulated", "--start", "2026-03-02T09:00")
    pilot_release(pg, [*RULE_ESTATE, *ESTATE[12:]])  # the rule estate, the split hubs, EDFE's odd hubs
    r = nominated(pg, 1, "EDFE", [PENDING, ON_TARGET, NOWHERE, OTHER_MODEL, EDFE_HUB.lower()])
    assert [x["reason"] for x in r["rejected"]] == [
        "NOT_COMMISSIONED", "ALREADY_ON_TARGET", "UNKNOWN_GUID", "NOT_ELIGIBLE"]
    assert r["accepted"] == 1
    assert nominated(pg, 1, "BGAS", SPLIT[:1])["awaiting"] == 1
    picked = _by_rule(pg, 1, "OCTO", "count=9", "spread=regions", "seed=11", f"from-version={OLDER}")
    assert picked["accepted"] == 9
    r = nominated(pg, 1, "OCTO", SPLIT[:1])  # the consent
    assert (r["joined"], r["awaiting"]) == (1, 0)
    octo = _pilot_hubs(pg, 1, "OCTO")
    assert len(octo) == 10 and octo[SPLIT[0]]["Other supplier nominated"] == "Yes"
    assert Counter(str(h["CSP region"]) for g, h in octo.items() if g != SPLIT[0]) == {
        "North": 3, "Central": 3, "South": 3}
    assert [n["recipient"] for n in notices(pg, "PILOT_CONSENT")] == ["BGAS"]
