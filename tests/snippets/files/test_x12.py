"""Parse the site's sample 850, check its envelopes, map it, and round-trip a 997 through the same parser."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from snippets.files.x12 import (
    X12Error,
    functional_acknowledgement,
    parse,
    purchase_order,
    read_interchange,
)

SAMPLE = Path(__file__).resolve().parents[3] / "snippets" / "files" / "samples" / "purchase_order_850.x12"
AT = dt.datetime(2026, 11, 30, 9, 20)


@pytest.fixture
def raw() -> str:
    return SAMPLE.read_text(encoding="ascii")


def test_the_isa_header_declares_the_delimiters(raw: str) -> None:
    delimiters, segments = read_interchange(raw)
    assert (delimiters.element, delimiters.component, delimiters.segment) == ("*", ">", "~")
    assert len(raw.splitlines()[0]) == 106  # ISA is fixed width, terminator included
    assert [s[0] for s in segments] == [
        "ISA", "GS", "ST", "BEG", "REF", "N1", "PO1", "PO1", "CTT", "SE", "GE", "IEA",
    ]  # fmt: skip


def test_the_sample_850_parses_with_valid_envelopes(raw: str) -> None:
    interchange = parse(raw)
    assert (interchange.sender, interchange.receiver, interchange.control) == (
        "BUYERCO",
        "SUPPLIERCO",
        "000000905",
    )
    (group,) = interchange.groups
    assert (group.functional_id, group.control, group.version) == ("PO", "905", "004010")
    (ts,) = group.transactions
    assert (ts.code, ts.control, ts.errors) == ("850", "0001", [])
    assert interchange.errors == [] and group.errors == []


def test_the_850_maps_to_our_order(raw: str) -> None:
    order = purchase_order(parse(raw).groups[0].transactions[0])
    assert order.number == "PO-4471"
    assert order.date == dt.date(2026, 11, 30)
    assert order.ship_to == "WH-01"
    assert [(line.buyer_part, line.quantity, line.unit, line.unit_price) for line in order.lines] == [
        ("SKU-100", Decimal("24"), "EA", Decimal("12.50")),
        ("SKU-200", Decimal("6"), "CS", Decimal("40.00")),
    ]


def test_the_997_round_trips_through_the_same_parser(raw: str) -> None:
    received = parse(raw)
    delimiters, _ = read_interchange(raw)
    ack = functional_acknowledgement(received, control=17, at=AT, delimiters=delimiters)
    assert len(ack.split("~")[0]) + 1 == 106  # our own ISA is fixed width too

    back = parse(ack)
    assert (back.sender, back.receiver) == ("SUPPLIERCO", "BUYERCO")  # the reply goes the other way
    assert back.errors == []
    (group,) = back.groups
    assert group.functional_id == "FA" and group.errors == []
    (ts,) = group.transactions
    assert ts.code == "997" and ts.errors == []
    body = [seg for seg in ts.segments if seg[0].startswith("AK")]
    assert body == [
        ["AK1", "PO", "905"],
        ["AK2", "850", "0001"],
        ["AK5", "A"],
        ["AK9", "A", "1", "1", "1"],
    ]


def test_a_wrong_segment_count_is_rejected_in_the_997(raw: str) -> None:
    broken = raw.replace("SE*8*0001~", "SE*9*0001~")
    received = parse(broken)
    assert received.groups[0].transactions[0].errors == ["4"]
    ack = functional_acknowledgement(received, control=18, at=AT, delimiters=read_interchange(raw)[0])
    segments = {seg[0]: seg for seg in parse(ack).groups[0].transactions[0].segments}
    assert segments["AK5"] == ["AK5", "R", "4"]
    assert segments["AK9"] == ["AK9", "R", "1", "1", "0"]


def test_mismatched_control_numbers_and_missing_trailers_are_reported(raw: str) -> None:
    mismatched = parse(raw.replace("SE*8*0001~", "SE*8*0002~").replace("GE*1*905~", "GE*2*906~"))
    assert mismatched.groups[0].transactions[0].errors == ["3"]
    assert mismatched.groups[0].errors == ["4", "5"]
    assert parse(raw.replace("IEA*1*000000905~", "IEA*1*000000906~")).errors

    truncated = raw.split("SE*8")[0]
    assert parse(truncated).groups[0].transactions[0].errors == ["2"]


def test_a_partly_accepted_group_is_marked_p(raw: str) -> None:
    second = "ST*850*0002~BEG*00*SA*PO-4472**20261130~PO1*1*1*EA*1.00**BP*SKU-1~SE*3*0002~"
    two = raw.replace("GE*1*905~", second + "GE*2*905~")
    received = parse(two)
    assert [ts.errors for ts in received.groups[0].transactions] == [[], ["4"]]
    ack = parse(functional_acknowledgement(received, control=19, at=AT, delimiters=read_interchange(raw)[0]))
    ak9 = next(seg for seg in ack.groups[0].transactions[0].segments if seg[0] == "AK9")
    assert ak9 == ["AK9", "P", "2", "2", "1"]


@pytest.mark.parametrize("text", ["", "GS*PO*A*B~", "ISA*short~"])
def test_something_that_is_not_x12_is_refused_with_a_message(text: str) -> None:
    with pytest.raises(X12Error, match="106-character ISA"):
        parse(text)


def test_an_850_that_cannot_be_mapped_says_which_segment(raw: str) -> None:
    bad_price = parse(raw.replace("PO1*2*6*CS*40.00", "PO1*2*6*CS*forty"))
    with pytest.raises(ValueError, match="cannot read PO1 segment"):
        purchase_order(bad_price.groups[0].transactions[0])
    no_lines = parse(
        raw.replace("PO1*1*24*EA*12.50**BP*SKU-100~", "").replace("PO1*2*6*CS*40.00**BP*SKU-200~", "")
    )
    with pytest.raises(ValueError, match="needs BEG and at least one PO1"):
        purchase_order(no_lines.groups[0].transactions[0])
    ack_ts = (
        parse(functional_acknowledgement(parse(raw), control=20, at=AT, delimiters=read_interchange(raw)[0]))
        .groups[0]
        .transactions[0]
    )
    with pytest.raises(ValueError, match="expected an 850"):
        purchase_order(ack_ts)
