"""The hand-written part of the labelled matching set: real works as each
side titles them, grouped by the difficulty they test (make_labelled.py
builds labelled.json from these and the demo catalogue)."""

from __future__ import annotations

# Real works on one side only, chosen to look like a catalogue work or each
# other: sequels a year apart, other parts of a saga, other versions.
# (side, kind, title, original title, year)
EXTRA_ALONE = [
    ("senscritique", "movie", "Scream", "Scream", 1996),
    ("plex", "movie", "Scream 2", None, 1997),
    ("senscritique", "movie", "Scary Movie", "Scary Movie", 2000),
    ("plex", "movie", "Scary Movie 2", None, 2001),
    ("senscritique", "movie", "Saw", "Saw", 2004),
    ("plex", "movie", "Saw II", None, 2005),
    ("senscritique", "movie", "Paranormal Activity", "Paranormal Activity", 2009),
    ("plex", "movie", "Paranormal Activity 2", None, 2010),
    ("senscritique", "movie", "Halloween Kills", "Halloween Kills", 2021),
    ("plex", "movie", "Halloween Ends", None, 2022),
    (
        "senscritique",
        "movie",
        "Harry Potter et les Reliques de la Mort : 1re partie",
        "Harry Potter and the Deathly Hallows: Part 1",
        2010,
    ),
    ("plex", "movie", "Harry Potter and the Deathly Hallows: Part 2", None, 2011),
    ("senscritique", "movie", "Rocky 5", "Rocky V", 1990),
    ("plex", "movie", "Psycho II", None, 1983),
    ("senscritique", "movie", "Matrix Resurrections", "The Matrix Resurrections", 2021),
    ("plex", "movie", "Avatar: The Way of Water", None, 2022),
    ("senscritique", "movie", "Mondwest", "Westworld", 1973),
    ("plex", "movie", "Twin Peaks: Fire Walk with Me", None, 1992),
    (
        "senscritique",
        "movie",
        "Toy Story : Hors du temps",
        "Toy Story That Time Forgot",
        2014,
    ),
    ("plex", "movie", "Iron Man & Hulk: Heroes United", None, 2013),
]

# Real pairs with unrelated titles that only the original title joins.
# (kind, french title, english title, original title, year)
EXTRA_PAIRS = [
    (
        "movie",
        "Shrek 4 : Il était une fin",
        "Shrek Forever After",
        "Shrek Forever After",
        2010,
    ),
    ("movie", "Halloween 2", "Halloween II", "Halloween II", 2009),
    (
        "movie",
        "Terminator 3 : Le Soulèvement des machines",
        "Terminator 3: Rise of the Machines",
        "Terminator 3: Rise of the Machines",
        2003,
    ),
]

# Plex libraries holding one work twice (two ratingKeys, one IMDb id).
DUPLICATES = {
    "Die Hard": "imdb://tt0095016",
    "The Matrix": "imdb://tt0133093",
    "Inception": "imdb://tt1375666",
    "Pulp Fiction": "imdb://tt0110912",
}

# Original titles in another script on Plex, romanized on SensCritique.
# (kind, french title, english title, romanized, native, year)
NATIVE_PAIRS = [
    ("movie", "Printemps tardif", "Late Spring", "Banshun", "晩春", 1949),
    (
        "movie",
        "Les Contes de la lune vague après la pluie",
        "Ugetsu",
        "Ugetsu monogatari",
        "雨月物語",
        1953,
    ),
    ("movie", "Nuages flottants", "Floating Clouds", "Ukigumo", "浮雲", 1955),
    (
        "movie",
        "La Femme des sables",
        "Woman in the Dunes",
        "Suna no onna",
        "砂の女",
        1964,
    ),
    (
        "movie",
        "La Traversée du temps",
        "The Girl Who Leapt Through Time",
        "Toki o kakeru shōjo",
        "時をかける少女",
        2006,
    ),
    (
        "movie",
        "Les Enfants loups, Ame et Yuki",
        "Wolf Children",
        "Ōkami kodomo no Ame to Yuki",
        "おおかみこどもの雨と雪",
        2012,
    ),
    ("movie", "Le vent se lève", "The Wind Rises", "Kaze tachinu", "風立ちぬ", 2013),
    (
        "movie",
        "Tel père, tel fils",
        "Like Father, Like Son",
        "Soshite chichi ni naru",
        "そして父になる",
        2013,
    ),
    (
        "movie",
        "La Cité des douleurs",
        "A City of Sadness",
        "Bei qing cheng shi",
        "悲情城市",
        1989,
    ),
    (
        "movie",
        "Épouses et Concubines",
        "Raise the Red Lantern",
        "Da hong deng long gao gao gua",
        "大紅燈籠高高掛",
        1991,
    ),
    (
        "movie",
        "Le Secret des poignards volants",
        "House of Flying Daggers",
        "Shi mian mai fu",
        "十面埋伏",
        2004,
    ),
    # A character with two readings: anyascii reads 著 "zhu", here it is "zhe".
    ("movie", "Vivre !", "To Live", "Huo zhe", "活著", 1994),
    (
        "movie",
        "J'ai rencontré le Diable",
        "I Saw the Devil",
        "Angmareul boatda",
        "악마를 보았다",
        2010,
    ),
    (
        "movie",
        "Printemps, été, automne, hiver... et printemps",
        "Spring, Summer, Fall, Winter... and Spring",
        "Bom yeoreum gaeul gyeoul geurigo bom",
        "봄 여름 가을 겨울 그리고 봄",
        2003,
    ),
    ("movie", "Locataires", "3-Iron", "Bin-jip", "빈집", 2004),
    (
        "movie",
        "Quand passent les cigognes",
        "The Cranes Are Flying",
        "Letyat zhuravli",
        "Летят журавли",
        1957,
    ),
    (
        "movie",
        "Requiem pour un massacre",
        "Come and See",
        "Idi i smotri",
        "Иди и смотри",
        1985,
    ),
]

# Plex titles with a qualifier, SensCritique's without.
# (kind, french title, plex title, original title, year, family)
QUALIFIED_PAIRS = [
    (
        "show",
        "Queer as Folk",
        "Queer as Folk (US)",
        "Queer as Folk",
        2000,
        "country_qualifier",
    ),
    ("show", "Utopia", "Utopia (UK)", "Utopia", 2013, "country_qualifier"),
    ("show", "Utopia", "Utopia (US)", "Utopia", 2020, "country_qualifier"),
    (
        "show",
        "Being Human : La Confrérie de l'étrange",
        "Being Human (US)",
        "Being Human",
        2011,
        "country_qualifier",
    ),
    ("show", "Wilfred", "Wilfred (US)", "Wilfred", 2011, "country_qualifier"),
    (
        "show",
        "House of Cards",
        "House of Cards (UK)",
        "House of Cards",
        1990,
        "country_qualifier",
    ),
    ("show", "Cosmos", "Cosmos (1980)", "Cosmos", 1980, "year_qualifier"),
    (
        "movie",
        "Point Break",
        "Point Break (2015)",
        "Point Break",
        2015,
        "year_qualifier",
    ),
    ("show", "Teen Wolf", "Teen Wolf (2011)", "Teen Wolf", 2011, "year_qualifier"),
]
# Their namesakes on one side only. (side, kind, title, original title, year)
QUALIFIED_ALONE = [
    ("senscritique", "movie", "Point Break", "Point Break", 1991),
    ("plex", "show", "Being Human (UK)", None, 2008),
    ("senscritique", "show", "Teen Wolf", "Teen Wolf", 1986),
    ("plex", "show", "Wilfred (AU)", None, 2007),
]

# Translated titles with no common word, and no original title on Plex (an
# account-level work read through the community API): not matchable locally.
# (kind, french title, original title on SensCritique, plex title, year)
UNMATCHABLE = [
    ("movie", "La Règle du jeu", None, "The Rules of the Game", 1939),
    ("movie", "Les Yeux sans visage", None, "Eyes Without a Face", 1960),
    ("movie", "Le Cercle rouge", None, "The Red Circle", 1970),
    ("movie", "Les Ailes du désir", "Der Himmel über Berlin", "Wings of Desire", 1987),
]
