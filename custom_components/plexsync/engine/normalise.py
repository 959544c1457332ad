"""Title normalisation: turn a display title into comparable forms.

SensCritique shows French titles, a Plex library usually English ones, and both
spell the same title differently ("Thelma & Louise" / "Thelma et Louise",
"Rocky II" / "Rocky 2", "Spider-Man" / "Spiderman", "Le Parrain" / "Parrain").
A title becomes one FULL form (every part) and, when it carries a subtitle after
":" or " - ", PART forms (the main title, and the subtitle when it is long
enough to stand alone). Forms are compared by a compact key without spaces.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

# Typographic apostrophes and quotes folded to one ASCII apostrophe.
_APOSTROPHES = str.maketrans(dict.fromkeys("\u2019\u2018\u02bc\u00b4`\u2032", "'"))
# Accents are dropped on letters below this code point (Latin, Greek,
# Cyrillic); other scripts keep their combining marks.
_LAST_ACCENTED_ALPHABET = "\u0530"
# Letters NFKD does not decompose.
_LETTERS = str.maketrans(
    {"œ": "oe", "æ": "ae", "ø": "o", "đ": "d", "ł": "l", "ð": "d", "þ": "th"}
)
# A subtitle separator: a colon, or a dash with spaces around it.
_SEPARATOR = re.compile(r"\s*:\s*|\s+[-\u2010-\u2015]+\s+")
_LEADING_ARTICLE = re.compile(r"^(?:(?:the|an|a|le|la|les|un|une)\s+|l')(?=\S)")
# Letter/digit boundaries become token boundaries ("alien3" -> "alien 3").
_LETTER_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")
_NOT_WORD = re.compile(r"[^\w]+|_+")

_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10}
_ROMAN = re.compile(r"^x{0,3}(?:ix|iv|v?i{0,3})$")  # 1..39
# "i", "v" and "x" alone are words or letters ("X-Men", "Malcolm X") unless a
# sequel word precedes them ("Episode I", "Part V").
_SEQUEL_WORDS = frozenset(
    {"episode", "part", "partie", "chapter", "chapitre", "vol", "volume", "book"}
)
_SINGLE_LETTER_NUMERALS = frozenset({"i", "v", "x"})
_NUMBER_WORDS = {
    word: str(value)
    for value, word in enumerate(
        (
            "two", "three", "four", "five", "six", "seven", "eight", "nine",
            "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen",
            "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
        ),
        start=2,
    )
}  # fmt: skip
_SYNONYMS = {"et": "and", "und": "and", "versus": "vs"}
# A subtitle must carry this many tokens to be matched on its own.
MIN_SUBTITLE_TOKENS = 2


class Form(NamedTuple):
    """One comparable form of a title: its tokens, whether it is the FULL
    title or a PART of it, and its compact key.

    A named tuple of plain values rather than a dataclass: tens of thousands
    are built per matching pass, a tuple is built several times faster, and
    the garbage collector stops tracking a tuple of strings and booleans.
    """

    tokens: tuple[str, ...]
    full: bool  # FULL outranks PART
    key: str  # the tokens joined without spaces
    stripped: bool = False  # a country or year qualifier was dropped (`titles`)

    @classmethod
    def of(cls, tokens: tuple[str, ...], *, full: bool) -> Form:
        return cls(tokens, full, "".join(tokens))

    @property
    def rank(self) -> tuple[bool, bool]:
        """Of two forms with one key, the higher rank says more."""
        return self.full, not self.stripped


def _roman_value(token: str) -> int | None:
    if not token or not _ROMAN.match(token):
        return None
    total = 0
    previous = 0
    for char in reversed(token):
        value = _ROMAN_VALUES[char]
        total = total - value if value < previous else total + value
        previous = max(previous, value)
    return total or None


def _fold(text: str) -> str:
    """Case, accents, typographic apostrophes and unusual letters."""
    if text.isascii():  # most titles: nothing to decompose
        return text.replace("`", "'").lower()
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    kept: list[str] = []
    base = ""
    for char in text:
        if not unicodedata.combining(char):
            base = char
        elif base < _LAST_ACCENTED_ALPHABET:
            continue  # an accent on a Latin, Greek or Cyrillic letter
        kept.append(char)  # kana voicing marks and the like carry meaning
    text = unicodedata.normalize("NFC", "".join(kept))
    return text.casefold().translate(_LETTERS)


def _unify_word(word: str, after_sequel_word: bool) -> str:
    """One token with synonyms, number words and roman numerals unified."""
    word = _SYNONYMS.get(word, word)
    if word == "one" and after_sequel_word:
        return "1"
    word = _NUMBER_WORDS.get(word, word)
    if not word.strip("ivx"):  # letters of a roman numeral only
        if word not in _SINGLE_LETTER_NUMERALS or after_sequel_word:
            value = _roman_value(word)
            if value is not None:
                return str(value)
        return word
    return str(int(word)) if word.isdigit() and word.isascii() else word


@lru_cache(maxsize=8192)  # titles share most of their words
def _unify(word: str) -> str:
    return _unify_word(word, after_sequel_word=False)


def _tokens(part: str) -> tuple[str, ...]:
    """Tokens of one part of a folded title, articles and numbers unified."""
    part = _LEADING_ARTICLE.sub("", part.strip(), count=1)
    if part.isascii() and part.replace(" ", "").isalpha():
        words = part.split()  # plain words: nothing below would change them
    else:
        # Elided and possessive apostrophes join ("l'avion", "ocean's"); dots
        # in abbreviations join too ("L.A.", "Dr."); "&" is a word of its own.
        part = part.replace("'", "").replace(".", "").replace("&", " and ")
        words = _NOT_WORD.sub(" ", _LETTER_DIGIT.sub(" ", part)).split()
    if _SEQUEL_WORDS.isdisjoint(words):
        return tuple(map(_unify, words))
    # A sequel word unifies to itself, so the word before tells.
    return tuple(
        _unify_word(word, after_sequel_word=n > 0 and words[n - 1] in _SEQUEL_WORDS)
        for n, word in enumerate(words)
    )


def title_parts(title: str) -> tuple[tuple[str, ...], ...]:
    """The normalised token parts of `title`, split at subtitle separators."""
    folded = _fold(title)
    parts = (_tokens(p) for p in _SEPARATOR.split(folded))
    return tuple(p for p in parts if p)


def normalise(title: str) -> str:
    """The FULL normalised form of `title` as a readable string."""
    return " ".join(t for part in title_parts(title) for t in part)


def _stands_alone(subtitle: tuple[str, ...]) -> bool:
    """Whether a subtitle names a work by itself ("The Empire Strikes Back"),
    unlike "Vol 1" or "Part 2"."""
    words = [t for t in subtitle if not t.isdigit() and t not in _SEQUEL_WORDS]
    return len(subtitle) >= MIN_SUBTITLE_TOKENS and bool(words)


def title_forms(title: str | None) -> tuple[Form, ...]:
    """The FULL form of one title, then its PART forms (empty for a blank
    title)."""
    if not title:
        return ()
    parts = title_parts(title)
    if not parts:
        return ()
    forms = [Form.of(tuple(t for part in parts for t in part), full=True)]
    if len(parts) > 1:
        forms.append(Form.of(parts[0], full=False))
        if _stands_alone(parts[-1]):
            forms.append(Form.of(parts[-1], full=False))
    return tuple(forms)
