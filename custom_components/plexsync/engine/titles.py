"""Every comparable spelling of one work's titles.

A work has a title and often an original title; each gives its forms (see
`normalise`). Two more kinds of spelling come from what a title carries:

- a trailing country or year qualifier ("Utopia (UK)", "Dune (1984)") is also
  dropped, giving STRIPPED forms, so the qualified title meets the plain one;
  a year qualifier only when it agrees with the work's year (a work without a
  year takes it). Two stripped forms never match each other: "Shameless (UK)"
  and "Shameless (US)" are two series.
- a title in another script gets readings (see `romanise`), compared by a
  loose key with the loose keys of the other side's titles: romanizations
  disagree on long vowels (Tōkyō / Toukyou / Tokyo), l and r, wo and o, and n
  or m before b and p. A loose key only counts when one of the two comes from
  a reading.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .normalise import Form, title_forms
from .romanise import readings

# A trailing "(UK)", "[US]", "(U.S.)" or "(1984)".
_QUALIFIER = re.compile(r"\s*[(\[]\s*([^()\[\]]{2,5}?)\s*[)\]]\s*$")
_COUNTRIES = frozenset(
    {
        "uk", "us", "usa", "gb", "fr", "be", "ch", "ca", "qc", "au", "nz",
        "ie", "de", "at", "es", "it", "nl", "dk", "se", "no", "fi", "br",
        "mx", "ar", "in", "jp", "kr", "cn", "hk", "tw", "ru",
    }
)  # fmt: skip
_MAX_QUALIFIERS = 2  # "The Office (US) (2005)"
_YEAR_DIGITS = 4
_LONG_VOWEL = re.compile(r"([aeiou])\1+")
# Spellings romanizations disagree on, applied in this order.
_LOOSE = (("l", "r"), ("ou", "o"), ("wo", "o"), ("mb", "nb"), ("mp", "np"))


@dataclass(frozen=True, slots=True)
class Titles:
    """A work's forms by key, the loose keys of its readings, and the year it
    is known by."""

    forms: Mapping[str, Form]  # one per key, the highest rank
    readings: tuple[str, ...]  # loose keys, each once; () for Latin titles
    year: int | None


# The forms of texts already seen in one matching pass, by text.
Known = dict[str, tuple[Form, ...]]


def loose_key(key: str) -> str:
    """A compact key with the spellings romanizations disagree on unified."""
    for old, new in _LOOSE:
        key = key.replace(old, new)
    return _LONG_VOWEL.sub(r"\1", key)


def strip_qualifiers(title: str, year: int | None) -> tuple[str, int | None] | None:
    """`title` without its trailing country and year qualifiers and the year
    one gives; None when there is nothing to strip.

    A year that disagrees with the work's own year is kept: it names another
    version ("Dune (1984)" is not the 2021 film).
    """
    if not title.rstrip().endswith((")", "]")):
        return None
    stripped, found_year = title, None
    for _ in range(_MAX_QUALIFIERS):
        match = _QUALIFIER.search(stripped)
        if match is None:
            break
        content = match.group(1).lower().replace(".", "")
        if content.isdigit() and len(content) == _YEAR_DIGITS:
            if year is not None and int(content) != year:
                break
            found_year = int(content)
        elif content not in _COUNTRIES:
            break
        stripped = stripped[: match.start()]
    if stripped == title or not stripped.strip():
        return None
    return stripped, found_year


def reading_keys(text: str) -> tuple[str, ...]:
    """The loose keys of a text's readings; () for a text in Latin letters."""
    keys: list[str] = []
    for reading in readings(text):
        forms = title_forms(reading)
        if forms:
            keys.append(loose_key(forms[0].key))
    return tuple(keys)


def latin_keys(forms: Iterable[Form]) -> tuple[str, ...]:
    """The loose keys of a work's FULL forms, to meet the other side's
    readings (computed when a reading is about: most titles never need them)."""
    return tuple(dict.fromkeys(loose_key(f.key) for f in forms if f.full))


def work_titles(
    names: Iterable[str | None],
    year: int | None,
    known: Known | None = None,
    *,
    learn: bool = True,
) -> Titles:
    """All spellings of a work's titles (its title, its original title).

    `known` holds the forms of texts already seen during one matching pass
    (both sides often carry the same title); with `learn` the new ones are
    added to it. Readings are not kept: few texts have any, and telling
    costs less than keeping.
    """
    memo = {} if known is None else known
    forms: dict[str, Form] = {}
    keys: tuple[str, ...] = ()
    found_year: int | None = None
    for name in names:
        if not name:
            continue
        texts = [(name, False)]
        stripped = strip_qualifiers(name, year)
        if stripped is not None:
            texts.append((stripped[0], True))
            found_year = found_year or stripped[1]
        for text, is_stripped in texts:
            text_forms = memo.get(text)
            if text_forms is None:
                text_forms = title_forms(text)
                if learn:
                    memo[text] = text_forms
            for form in text_forms:
                marked = form._replace(stripped=True) if is_stripped else form
                kept = forms.get(form.key)
                if kept is None or marked.rank > kept.rank:
                    forms[form.key] = marked
            keys += reading_keys(text)
    if keys:
        keys = tuple(dict.fromkeys(keys))
    return Titles(forms, keys, year if year is not None else found_year)
