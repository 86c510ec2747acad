"""The ways people write a name or a period, brought to one form so that variants meet.

    normal(text, noise)   lower case, no accents, '&' as 'and', no punctuation, no noise words
    period_key(kind, text) the key of the month, quarter, year or financial year a text names

>>> normal("Devon & Cornwall Police", FORCE_NOISE), normal("Devon and Cornwall", FORCE_NOISE)
('devon and cornwall', 'devon and cornwall')
>>> normal("Metropolitan Police Service", FORCE_NOISE), normal("Metropolitan Police", FORCE_NOISE)
('metropolitan', 'metropolitan')
>>> normal("Côte d'Ivoire"), normal("  Dyfed-Powys  ")
('cote divoire', 'dyfed powys')
>>> normal("Police", FORCE_NOISE)  # all noise: the words are the name
'police'
>>> [period_key("financial-year", t) for t in ("2018/19", "2018-19", "FY 2018/19", "2018 to 2019")]
['2018-2019', '2018-2019', '2018-2019', '2018-2019']
>>> period_key("financial-year", "April 2018 to March 2019"), period_key("financial-year", "2018/20")
('2018-2019', None)
>>> [period_key("month", t) for t in ("2019-01", "January 2019", "Jan 2019", "01/2019", "2019/1")]
['2019-01', '2019-01', '2019-01', '2019-01', '2019-01']
>>> [period_key("quarter", t) for t in ("2019 Q1", "Q1 2019", "2019-Q1", "2019q1", "Jan-Mar 2019")]
['2019-Q1', '2019-Q1', '2019-Q1', '2019-Q1', '2019-Q1']
>>> period_key("month", "2019-13"), period_key("year", "2019"), period_key("year", "CY 2019")
(None, '2019', '2019')
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from typing import Callable

FORCE_NOISE = frozenset({"police", "constabulary", "service", "force", "the", "area", "pfa"})
AUTHORITY_NOISE = frozenset({"council", "borough", "district", "county", "metropolitan", "london", "of", "the"})
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def normal(text: str, noise: frozenset[str] = frozenset()) -> str:
    """`text` as a key: variants of one name give the same key (see the module's examples)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    plain = plain.replace("&", " and ").replace("'", "").replace("\u2019", "")
    words = [w for w in _NOT_WORD.split(plain) if w]
    kept = [w for w in words if w not in noise]
    return " ".join(kept or words)


_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_MONTH_WORD = "|".join(sorted(_MONTHS, key=len, reverse=True))
_YEAR = r"((?:19|20)\d\d)"

_MONTH_FORMS = [
    (re.compile(rf"^{_YEAR}[-/ .]?(0?[1-9]|1[0-2])$"), lambda m: (m[1], m[2])),
    (re.compile(rf"^(0?[1-9]|1[0-2])[-/ .]{_YEAR}$"), lambda m: (m[2], m[1])),
    (re.compile(rf"^({_MONTH_WORD})\.?[-/ ,]*{_YEAR}$"), lambda m: (m[2], str(_MONTHS[m[1]]))),
    (re.compile(rf"^{_YEAR}[-/ ,]*({_MONTH_WORD})$"), lambda m: (m[1], str(_MONTHS[m[2]]))),
]
_QUARTER_FORMS = [
    (re.compile(rf"^{_YEAR}[-/ ]?q([1-4])$"), lambda m: (m[1], m[2])),
    (re.compile(rf"^q([1-4])[-/ ]?{_YEAR}$"), lambda m: (m[2], m[1])),
]
_QUARTER_SPANS = {("jan", "mar"): 1, ("apr", "jun"): 2, ("jul", "sep"): 3, ("oct", "dec"): 4}
_SPAN = re.compile(rf"^({_MONTH_WORD})\w*\s*(?:-|to)\s*({_MONTH_WORD})\w*\s+{_YEAR}$")
_FINANCIAL = re.compile(rf"^(?:fy|financial year)?\s*(?:april\s+|apr\s+)?{_YEAR}"
                        r"\s*(?:/|-|to)\s*(?:march\s+|mar\s+)?(\d\d|\d{4})$")


def period_key(kind: str, text: str) -> str | None:
    """The notation of the period `text` names, as the time reference writes it, or None."""
    t = " ".join(text.lower().replace("\u2013", "-").split())
    if kind == "month":
        parts = _first(_MONTH_FORMS, t)
        return f"{parts[0]}-{int(parts[1]):02d}" if parts else None
    if kind == "quarter":
        parts = _first(_QUARTER_FORMS, t)
        if parts:
            return f"{parts[0]}-Q{parts[1]}"
        m = _SPAN.match(t)
        if m and (m[1][:3], m[2][:3]) in _QUARTER_SPANS:
            return f"{m[3]}-Q{_QUARTER_SPANS[m[1][:3], m[2][:3]]}"
    if kind == "financial-year":
        m = _FINANCIAL.match(t)
        if m:
            first, second = int(m[1]), m[2]
            if int(second) in ((first + 1) % 100, first + 1) and (len(second) == 4) == (int(second) > 99):
                return f"{first}-{first + 1}"
    if kind == "year":
        m = re.match(rf"^(?:cy|calendar year)?\s*{_YEAR}$", t)
        if m:
            return m[1]
    return None


def _first(forms: list[tuple[re.Pattern[str], Callable[[re.Match[str]], tuple[str, str]]]], text: str) -> tuple[str, str] | None:
    """(year, part) from the first form that reads `text`."""
    for pattern, parts in forms:
        m = pattern.match(text)
        if m:
            return parts(m)
    return None
