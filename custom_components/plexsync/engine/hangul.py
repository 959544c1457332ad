"""Korean titles in the Revised Romanization, as SensCritique and IMDb spell them.

SensCritique gives a Korean film's original title romanized ("Gisaengchung"),
a Plex library in Hangul (기생충). Spelling a syllable letter by letter is not
enough: a final consonant moves into a following vowel-initial syllable
(살인 -> "sarin", not "salin") and a stop before a nasal becomes a nasal (악마 ->
"angma"). Those sound changes are applied inside each word; words are spelled
on their own. Hangul syllables are composed arithmetically (Unicode 3.12), so no
table of syllables is needed.
"""

from __future__ import annotations

_FIRST_SYLLABLE = 0xAC00
_LAST_SYLLABLE = 0xD7A3
_VOWELS_TIMES_FINALS = 21 * 28
_FINALS = 28

_INITIALS = (
    "g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s",
    "ss", "", "j", "jj", "ch", "k", "t", "p", "h",
)  # fmt: skip
_VOWELS = (
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae",
    "oe", "yo", "u", "wo", "we", "wi", "yu", "eu", "ui", "i",
)  # fmt: skip
# Per final consonant: how it sounds before a consonant or at the end of a word,
# and (what stays, what moves on) before a vowel-initial syllable.
_FINAL_SOUND = (
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l",
    "p", "l", "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t",
)  # fmt: skip
_FINAL_BEFORE_VOWEL = (
    ("", ""), ("", "g"), ("", "kk"), ("k", "s"), ("", "n"), ("n", "j"),
    ("", "n"), ("", "d"), ("", "r"), ("l", "g"), ("l", "m"), ("l", "b"),
    ("l", "s"), ("l", "t"), ("l", "p"), ("", "r"), ("", "m"), ("", "b"),
    ("p", "s"), ("", "s"), ("", "ss"), ("ng", ""), ("", "j"), ("", "ch"),
    ("", "k"), ("", "t"), ("", "p"), ("", ""),
)  # fmt: skip
_SILENT_INITIAL = 11
_NASAL_INITIALS = frozenset({"n", "m"})
_NASALISED = {"k": "ng", "t": "n", "p": "m"}
_H_FINAL = 27
_ASPIRATED = {"g": "k", "d": "t", "j": "ch"}


def is_syllable(char: str) -> bool:
    return _FIRST_SYLLABLE <= ord(char) <= _LAST_SYLLABLE


def _parts(char: str) -> tuple[int, int, int]:
    index = ord(char) - _FIRST_SYLLABLE
    return (
        index // _VOWELS_TIMES_FINALS,
        index % _VOWELS_TIMES_FINALS // _FINALS,
        index % _FINALS,
    )


def _joint(final: int, initial: str) -> tuple[str, str]:
    """How a final consonant and the next syllable's initial are spelled."""
    if initial == "":
        return _FINAL_BEFORE_VOWEL[final]
    if final == _H_FINAL and initial in _ASPIRATED:
        return "", _ASPIRATED[initial]
    sound = _FINAL_SOUND[final]
    if initial == "r":
        if sound in ("l", "n"):
            return "l", "l"
        if sound:
            return _NASALISED.get(sound, sound), "n"
        return "", "r"
    if initial in _NASAL_INITIALS:
        if sound == "l" and initial == "n":
            return "l", "l"
        return _NASALISED.get(sound, sound), initial
    return sound, initial


def romanize_word(word: str) -> str:
    """One run of Hangul syllables in the Revised Romanization."""
    syllables = [_parts(char) for char in word]
    out: list[str] = []
    for index, (initial, vowel, _) in enumerate(syllables):
        onset = _INITIALS[initial]
        if index > 0:
            coda, onset = _joint(syllables[index - 1][2], onset)
            out.append(coda)
        out.append(onset + _VOWELS[vowel])
    if syllables:
        out.append(_FINAL_SOUND[syllables[-1][2]])
    return "".join(out)
