"""Read an X12 interchange, check its envelopes, pull out an 850 purchase order, and answer with a 997."""

# --8<-- [start:parse]
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation


class X12Error(ValueError):
    """The interchange cannot be read at all (no valid ISA header)."""


@dataclass(frozen=True)
class Delimiters:
    element: str
    component: str
    segment: str


Segment = list[str]  # segment id first, then its elements: ["BEG", "00", "SA", "PO-4471", ...]


def read_interchange(raw: str) -> tuple[Delimiters, list[Segment]]:
    """The ISA header is fixed width: its own characters say which delimiters the file uses."""
    text = raw.lstrip()
    if len(text) < 106 or not text.startswith("ISA"):
        raise X12Error("not an X12 interchange: it must start with a 106-character ISA segment")
    delimiters = Delimiters(element=text[3], component=text[104], segment=text[105])
    segments = [
        part.strip("\r\n").split(delimiters.element)
        for part in text.split(delimiters.segment)
        if part.strip("\r\n ")
    ]
    return delimiters, segments


@dataclass
class TransactionSet:
    code: str  # ST01: 850, 810, 856, 997 ...
    control: str  # ST02, repeated in SE02
    segments: list[Segment]
    errors: list[str] = field(default_factory=list)  # AK5 syntax error codes


@dataclass
class Group:
    functional_id: str  # GS01: PO for 850, IN for 810, SH for 856, FA for 997
    control: str  # GS06, repeated in GE02
    version: str  # GS08, e.g. 004010
    transactions: list[TransactionSet]
    errors: list[str] = field(default_factory=list)  # AK9 error codes


@dataclass
class Interchange:
    sender: str
    receiver: str
    control: str  # ISA13, repeated in IEA02
    groups: list[Group]
    errors: list[str] = field(default_factory=list)


def parse(raw: str) -> Interchange:
    """Split the envelopes and check every count and control number the trailers repeat."""
    _, segments = read_interchange(raw)
    isa = segments[0]
    interchange = Interchange(sender=isa[6].strip(), receiver=isa[8].strip(), control=isa[13], groups=[])
    group: Group | None = None
    current: TransactionSet | None = None
    for seg in segments[1:]:
        tag = seg[0]
        if tag == "GS":
            group = Group(seg[1], seg[6], seg[8], [])
            interchange.groups.append(group)
        elif tag == "ST" and group is not None:
            current = TransactionSet(seg[1], seg[2], [seg])
            group.transactions.append(current)
        elif tag == "SE" and current is not None:
            current.segments.append(seg)
            if seg[2] != current.control:
                current.errors.append("3")  # control numbers in ST and SE differ
            if int(seg[1]) != len(current.segments):
                current.errors.append("4")  # SE01 must count ST through SE
            current = None
        elif tag == "GE" and group is not None:
            if seg[2] != group.control:
                group.errors.append("4")  # control numbers in GS and GE differ
            if int(seg[1]) != len(group.transactions):
                group.errors.append("5")  # GE01 must count the transaction sets
            group = None
        elif tag == "IEA":
            if seg[2] != interchange.control or int(seg[1]) != len(interchange.groups):
                interchange.errors.append("IEA does not match ISA13 or the number of groups")
        elif current is not None:
            current.segments.append(seg)
    if current is not None:
        current.errors.append("2")  # transaction set trailer missing
    return interchange


# --8<-- [end:parse]


# --8<-- [start:purchase_order]
@dataclass(frozen=True)
class OrderLine:
    line: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    buyer_part: str


@dataclass(frozen=True)
class PurchaseOrder:
    number: str
    date: dt.date
    ship_to: str
    lines: tuple[OrderLine, ...]


def purchase_order(transaction: TransactionSet) -> PurchaseOrder:
    """Map the 850 segments this partner sends to our own order shape."""
    if transaction.code != "850":
        raise ValueError(f"expected an 850 purchase order, got {transaction.code}")
    number, date, ship_to, lines = "", None, "", []
    for seg in transaction.segments:
        try:
            if seg[0] == "BEG":
                number, date = seg[3], dt.datetime.strptime(seg[5], "%Y%m%d").date()
            elif seg[0] == "N1" and seg[1] == "ST":
                ship_to = seg[4] if len(seg) > 4 else seg[2]
            elif seg[0] == "PO1":
                ids = dict(zip(seg[6::2], seg[7::2], strict=False))  # qualifier/value pairs
                lines.append(OrderLine(seg[1], Decimal(seg[2]), seg[3], Decimal(seg[4]), ids.get("BP", "")))
        except (IndexError, ValueError, InvalidOperation) as error:
            raise ValueError(f"850 {transaction.control}: cannot read {seg[0]} segment {seg!r}") from error
    if not number or date is None or not lines:
        raise ValueError(f"850 {transaction.control}: needs BEG and at least one PO1")
    return PurchaseOrder(number, date, ship_to, tuple(lines))


# --8<-- [end:purchase_order]


# --8<-- [start:acknowledge]
def functional_acknowledgement(
    received: Interchange, *, control: int, at: dt.datetime, delimiters: Delimiters
) -> str:
    """A 997 for every group received: AK1 per group, AK2/AK5 per transaction set, AK9 totals."""
    e, s = delimiters.element, delimiters.segment
    auth = ["00", " " * 10, "00", " " * 10]
    parties = ["ZZ", received.receiver.ljust(15), "ZZ", received.sender.ljust(15)]  # reply goes back
    stamp = [f"{at:%y%m%d}", f"{at:%H%M}", "U", "00401", f"{control:09d}", "0", "T", delimiters.component]
    isa = e.join(["ISA", *auth, *parties, *stamp])
    out = [isa]
    for number, group in enumerate(received.groups, start=1):
        gs_control = str(control * 100 + number)
        body = [["AK1", group.functional_id, group.control]]
        accepted = 0
        for ts in group.transactions:
            body.append(["AK2", ts.code, ts.control])
            body.append(["AK5", "R", *ts.errors] if ts.errors else ["AK5", "A"])
            accepted += not ts.errors
        count = len(group.transactions)
        status = "A" if accepted == count and not group.errors else ("P" if accepted else "R")
        body.append(["AK9", status, str(count), str(count), str(accepted), *group.errors])
        st_control = f"{number:04d}"
        segments = [["ST", "997", st_control], *body]
        segments.append(["SE", str(len(segments) + 1), st_control])
        gs = ["GS", "FA", received.receiver, received.sender, f"{at:%Y%m%d}", f"{at:%H%M}"]
        out.append(e.join([*gs, gs_control, "X", group.version]))
        out += [e.join(seg) for seg in segments]
        out.append(e.join(["GE", "1", gs_control]))
    out.append(e.join(["IEA", str(len(received.groups)), f"{control:09d}"]))
    return s.join(out) + s


# --8<-- [end:acknowledge]
