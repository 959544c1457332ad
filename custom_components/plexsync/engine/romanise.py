"""Readings of a title written in another script, in Latin letters.

Plex gives the original title of an Asian or Russian film in its own script
(東京暮色, 기생충, Солярис), SensCritique a romanized one (Tōkyō boshoku,
Gisaengchung, Solyaris). A reading is what that romanized title most likely
says; matching compares readings loosely (see `normalise.loose_key`), since
romanizations differ in long vowels and the like.

- Japanese: kanji are read with pykakasi's dictionary (loaded on first need: it
  takes ~0.4 s and ~110 MB, so a library without kanji never pays for it), kana
  in modified Hepburn by the table below (pykakasi's own spells ティ "tei").
- Korean: the Revised Romanization (`hangul`).
- Anything else (Chinese, Cyrillic, Greek...): anyascii, one reading per
  character (Mandarin for Chinese characters).

Kanji-only titles can be Japanese or Chinese: both readings are given.
"""

from __future__ import annotations

import sys
import threading
import unicodedata
from functools import cache
from typing import TYPE_CHECKING, Any

from anyascii import anyascii

from . import hangul

if TYPE_CHECKING:
    from pykakasi import kakasi as Kakasi

_HIRAGANA = (
    "a", "a", "i", "i", "u", "u", "e", "e", "o", "o",
    "ka", "ga", "ki", "gi", "ku", "gu", "ke", "ge", "ko", "go",
    "sa", "za", "shi", "ji", "su", "zu", "se", "ze", "so", "zo",
    "ta", "da", "chi", "ji", "", "tsu", "zu", "te", "de", "to", "do",
    "na", "ni", "nu", "ne", "no",
    "ha", "ba", "pa", "hi", "bi", "pi", "fu", "bu", "pu",
    "he", "be", "pe", "ho", "bo", "po",
    "ma", "mi", "mu", "me", "mo", "ya", "ya", "yu", "yu", "yo", "yo",
    "ra", "ri", "ru", "re", "ro", "wa", "wa", "i", "e", "o", "n", "vu",
    "ka", "ke",
)  # fmt: skip
_FIRST_HIRAGANA = 0x3041  # ぁ
_KANA = {chr(_FIRST_HIRAGANA + i): r for i, r in enumerate(_HIRAGANA)}
_KATAKANA_OFFSET = 0x60
_SMALL_TSU = "っ"
_LONG_MARK = "ー"
_ITERATION_MARK = "々"  # repeats the kanji before it (佐々木)
_SMALL_VOWELS = frozenset("ぁぃぅぇぉ")
_SMALL_Y = frozenset("ゃゅょ")
_PALATAL = ("sh", "ch", "j")
_VOWEL_LETTERS = "aiueo"
# Particles pykakasi leaves as a word of their own, read as spoken.
_PARTICLES = {"は": "wa", "へ": "e"}


def _hiragana(text: str) -> str:
    return "".join(
        chr(ord(c) - _KATAKANA_OFFSET) if "\u30a1" <= c <= "\u30f6" else c for c in text
    )


def _with_small_kana(previous: str, small: str) -> str:
    """きゃ -> kya, しゃ -> sha, ティ -> ti, ウィ -> wi, ファ -> fa."""
    vowel = _KANA[small][-1]
    base = previous[:-1] if previous[-1] in _VOWEL_LETTERS else previous
    if small in _SMALL_Y:
        return base + ("" if base.endswith(_PALATAL) else "y") + vowel
    return (base or ("w" if previous == "u" else "y")) + vowel


def kana_reading(text: str) -> str:
    """Hiragana and katakana in modified Hepburn; other characters kept."""
    out: list[str] = []
    after_kana = False  # whether out[-1] is a kana syllable
    double_next = False
    for char in _hiragana(text):
        if char == _SMALL_TSU:
            double_next = True
            continue
        last = out[-1] if after_kana else ""
        if char == _LONG_MARK and last and last[-1] in _VOWEL_LETTERS:
            out[-1] += last[-1]
        elif (char in _SMALL_Y or char in _SMALL_VOWELS) and last:
            out[-1] = _with_small_kana(last, char)
        elif char in _KANA:
            syllable = _KANA[char]
            if double_next and syllable[0] not in _VOWEL_LETTERS + "n":
                syllable = ("t" if syllable[0] == "c" else syllable[0]) + syllable
            out.append(syllable)
            after_kana = True
        else:
            out.append(char)
            after_kana = False
        double_next = False
    return "".join(out)


# Held while the kanji reader reads, and while it is released.
_READER_LOCK = threading.Lock()


@cache
def _kanji_reader() -> Kakasi:
    # Imported here: the module alone costs 15 MB, its dictionary 95 MB more.
    from pykakasi import kakasi

    return kakasi()  # type: ignore[no-untyped-call]  # its __init__ lacks "-> None"


def release_readers() -> None:
    """Let go of the kanji dictionary (loaded again on the next need): a
    sync holds it only while it matches.

    pykakasi keeps its dictionaries in class-level singletons (its `Kanwa`
    and `Itaiji` share one state dict each) and caches conversions on its
    `JConv` class: those are emptied here, as pykakasi itself would fill them
    again on its next use.
    """
    with _READER_LOCK:
        if _kanji_reader.cache_info().currsize == 0:
            return
        _kanji_reader.cache_clear()
        kanji: Any = sys.modules.get("pykakasi.kanji")
        if kanji is None:
            return
        kanji.JConv.convert.cache_clear()
        kanji.Kanwa._shared_state["_jisyo_table"] = None
        kanji.Itaiji._shared_state["_itaijidict"] = None


def _is_kana(char: str) -> bool:
    return "\u3041" <= char <= "\u30ff" and char != "\u30fb"  # not the middle dot


def _is_han(char: str) -> bool:
    return char == _ITERATION_MARK or unicodedata.name(char, "").startswith(
        "CJK UNIFIED IDEOGRAPH"
    )


def _japanese_reading(text: str, *, has_kanji: bool) -> str:
    if not has_kanji:
        return anyascii(kana_reading(text))
    with _READER_LOCK:  # not released while it reads (release_readers)
        segments = _kanji_reader().convert(text)
    words = (
        # A kanji the dictionary lacks comes back unread: spelled by anyascii.
        _PARTICLES.get(segment["orig"])
        or kana_reading(segment["hira"] or segment["orig"])
        for segment in segments
    )
    return anyascii(" ".join(words))


def _other_reading(text: str) -> str:
    """Hangul words in the Revised Romanization, the rest through anyascii."""
    out: list[str] = []
    word: list[str] = []
    for char in text + " ":
        if hangul.is_syllable(char):
            word.append(char)
            continue
        if word:
            out.append(hangul.romanize_word("".join(word)))
            word = []
        out.append(char)
    return anyascii("".join(out)).strip()


def readings(title: str) -> tuple[str, ...]:
    """Latin readings of a title with letters of another script; () for a
    title in Latin letters (accented or not)."""
    if title.isascii():
        return ()
    text = unicodedata.normalize("NFKC", title)
    letters = [c for c in text if c.isalpha() and not c.isascii()]
    if not letters or all(unicodedata.name(c, "").startswith("LATIN") for c in letters):
        return ()
    has_kana = any(_is_kana(c) for c in letters)
    has_kanji = any(_is_han(c) for c in letters)
    found: list[str] = []
    if has_kana or has_kanji:
        found.append(_japanese_reading(text, has_kanji=has_kanji))
    if not has_kana:
        found.append(_other_reading(text))
    return tuple(dict.fromkeys(r for r in found if r))
