"""The kanji dictionary is let go after linking and read again on need
(engine/romanise.py)."""

from __future__ import annotations

import sys
import threading

from custom_components.plexsync.engine import romanise


def test_the_kanji_dictionary_is_released_and_loaded_again() -> None:
    before = romanise.readings("東京物語")
    kanji = sys.modules["pykakasi.kanji"]
    assert kanji.Kanwa._shared_state["_jisyo_table"] is not None

    romanise.release_readers()

    assert kanji.Kanwa._shared_state["_jisyo_table"] is None
    assert kanji.Itaiji._shared_state["_itaijidict"] is None
    assert romanise.readings("東京物語") == before
    romanise.release_readers()
    romanise.release_readers()  # nothing held: nothing to do


def test_readings_in_threads_survive_releases() -> None:
    """Two entries: one releases while the other reads (the executor)."""
    expected = romanise.readings("東京物語")
    failures: list[BaseException] = []

    def read() -> None:
        try:
            for _ in range(50):
                assert romanise.readings("東京物語") == expected
        except BaseException as err:
            failures.append(err)

    readers = [threading.Thread(target=read) for _ in range(2)]
    for thread in readers:
        thread.start()
    for _ in range(50):
        romanise.release_readers()
    for thread in readers:
        thread.join(60)
    assert failures == []
