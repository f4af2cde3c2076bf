"""Time as people see it: London wall clock, calendar months clamped, BST changes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chconsole.core.vocabulary.errors import BadInput
from chconsole.core.vocabulary.london import add_months, iso, parse_time, show


def test_six_months_from_31_august_is_the_last_day_of_february():
    start = parse_time("2026-08-31T10:00")
    assert show(add_months(start, 6)) == "2027-02-28 10:00 GMT"
    assert show(add_months(parse_time("2027-08-31T10:00"), 6)) == "2028-02-29 10:00 GMT"  # leap year


def test_one_month_before_31_march_clamps_to_28_february():
    assert show(add_months(parse_time("2027-03-31T12:00"), -1)) == "2027-02-28 12:00 GMT"


def test_month_arithmetic_keeps_the_wall_clock_across_a_bst_change():
    # 09:00 GMT in March becomes 09:00 BST in September: 08:00 UTC.
    result = add_months(parse_time("2026-03-02T09:00"), 6)
    assert result == datetime(2026, 9, 2, 8, 0, tzinfo=UTC)
    back = add_months(result, -6)
    assert back == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_a_time_in_the_spring_gap_moves_forward_an_hour():
    # 01:30 on 29 March 2026 does not exist in London: clocks jump from 01:00 to 02:00.
    assert show(parse_time("2026-03-29T01:30")) == "2026-03-29 02:30 BST"
    assert show(add_months(parse_time("2026-02-28T01:30"), 1)) == "2026-03-28 01:30 GMT"


def test_a_repeated_autumn_time_takes_its_first_occurrence():
    t = parse_time("2026-10-25T01:30")  # happens twice: BST first, then GMT
    assert t == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert show(t) == "2026-10-25 01:30 BST"


def test_times_with_an_offset_or_z_are_taken_as_given():
    assert parse_time("2026-07-01T12:00Z") == datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    assert parse_time("2026-07-01T12:00+02:00") == datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
    assert iso(parse_time("2026-07-01T12:00")) == "2026-07-01T12:00:00+01:00"


def test_a_bare_date_is_midnight_in_london():
    assert parse_time("2026-07-01") == datetime(2026, 6, 30, 23, 0, tzinfo=UTC)


@pytest.mark.parametrize("bad", ["", "tomorrow", "2026-13-01", "01/07/2026"])
def test_a_bad_time_is_refused_with_what_was_wrong(bad):
    with pytest.raises(BadInput, match="ISO 8601"):
        parse_time(bad, "activation time")
