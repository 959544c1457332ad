"""Every GraphQL document PlexSync sends to SensCritique, written once.

SensCritique publishes no schema. What is known comes from public client code
(see the project's SensCritique reference, which tags each fact as seen,
legacy or inferred). This module is the ONE place that knowledge lives:

* sign-in, the collection reads, search, wish/unwish and rate are *seen* on
  today's endpoint;
* ``productDone`` (mark as seen) and ``productUndone`` (un-mark) return a
  ``DoneResult { success }`` in a schema reconstructed from the live server's
  own validation errors (reference 6.4b, 2026-12): that real shape is probed
  first. The shapes guessed before that evidence (a `Product` selection, a
  bare scalar) stay as later guesses for ``productDone`` only, so a service
  that differs is still found; ``success: false`` is a refused write;
* ``productUnrate`` and ``setDateDone`` are *legacy* (2021 endpoint): their
  presence today is unknown, their legacy return type was ``Boolean``; a
  selection-set variant is kept as a second guess for ``productUnrate``;
* the format of ``setDateDone``'s ``date`` argument is unknown; "YYYY-MM-DD"
  is the reference's guess and `done_date_argument` is where it is produced.

If SensCritique turns out to differ, change this module and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class Document:
    """One GraphQL operation: its name (sent as ``operationName``) and text."""

    operation: str
    text: str


class Capability(StrEnum):
    """The writes whose existence on today's API is uncertain."""

    MARK_DONE = "mark_done"
    MARK_UNDONE = "mark_undone"
    SET_DONE_DATE = "set_done_date"
    REMOVE_RATING = "remove_rating"


@dataclass(frozen=True, slots=True)
class UncertainMutation:
    """A mutation we are unsure about: the shapes to try, most likely first.

    `field` is the mutation field's name, used to recognise "Cannot query field"
    answers; `shapes` differ only in their selection set (or its absence).
    """

    capability: Capability
    field: str
    shapes: tuple[Document, ...]


# --------------------------------------------------------------------- sign in

SIGN_IN = Document(
    "SignIn",
    """mutation SignIn($email: String!, $password: String!) {
  signInWithEmailAndPassword(email: $email, password: $password) {
    me { id username }
    userCookie { userId cookieRef dateExpiration }
  }
}
""",
)

USER_LOOKUP = Document(
    "UserLookup",
    """query UserLookup($username: String!) {
  user(username: $username) { id username }
}
""",
)

# ---------------------------------------------------------------------- reads

# The three lists a snapshot needs (wishes, ratings, done works) are read in
# ONE paginated request stream: each list is an alias of `collection` with its
# own offset, and `@include` drops a list once it has been read to the end.
# `universe` is left out (= all universes) so films and series share pages;
# other universes (books, games...) are filtered out when decoding.
# Seasons and episodes come nested in their series, and can also be listed as
# items of their own (reference 6.4b: collection items carry `seasonNumber`,
# `episodeNumber` and a parent show, which the website asks as
# `preloadedParentTvShow`, S3); the wish list never nests them.
LIBRARY = Document(
    "UserLibrary",
    """query UserLibrary(
  $username: String!, $limit: Int!,
  $wishOffset: Int!, $ratingOffset: Int!, $doneOffset: Int!,
  $withWish: Boolean!, $withRating: Boolean!, $withDone: Boolean!
) {
  user(username: $username) {
    id
    username
    wish: collection(action: WISH, limit: $limit, offset: $wishOffset, order: LAST_ACTION_DESC) @include(if: $withWish) {
      total
      products { ...LibraryWork }
    }
    rating: collection(action: RATING, limit: $limit, offset: $ratingOffset, order: LAST_ACTION_DESC) @include(if: $withRating) {
      total
      products { ...LibraryWork seasons { ...LibrarySeason } }
    }
    done: collection(action: DONE, limit: $limit, offset: $doneOffset, order: LAST_ACTION_DESC) @include(if: $withDone) {
      total
      products { ...LibraryWork seasons { ...LibrarySeason } }
    }
  }
}

fragment LibraryWork on Product {
  id universe title originalTitle yearOfProduction dateRelease
  seasonNumber episodeNumber
  preloadedParentTvShow { id universe title originalTitle yearOfProduction dateRelease }
  otherUserInfos(username: $username) { ...LibraryUserState }
}

fragment LibrarySeason on Product {
  id seasonNumber title
  otherUserInfos(username: $username) { ...LibraryUserState }
  episodes {
    id episodeNumber title
    otherUserInfos(username: $username) { ...LibraryUserState }
  }
}

fragment LibraryUserState on ProductUserInfos { rating dateDone isDone isWished }
""",
)

# Names of the `collection` aliases in LIBRARY, with the variables that page them.
LIBRARY_LISTS: tuple[tuple[str, str, str], ...] = (
    ("wish", "wishOffset", "withWish"),
    ("rating", "ratingOffset", "withRating"),
    ("done", "doneOffset", "withDone"),
)

SEARCH = Document(
    "SearchAutocomplete",
    """query SearchAutocomplete($keywords: String!, $universe: String, $limit: Int) {
  searchAutocomplete(keywords: $keywords, universe: $universe, limit: $limit) {
    total
    items { product { id universe title originalTitle yearOfProduction dateRelease } }
  }
}
""",
)

# `product(id)` is seen on today's endpoint (null for an unknown id). Seasons
# and episodes are products too, told apart by their numbers.
PRODUCT_LOOKUP = Document(
    "ProductLookup",
    """query ProductLookup($id: Int!) {
  product(id: $id) {
    id universe title originalTitle yearOfProduction dateRelease
    seasonNumber episodeNumber
  }
}
""",
)

# One product with the member's marks on it: what a sync of one work reads
# (the fields of PRODUCT_LOOKUP and the collection reads' user state, both
# seen on today's endpoint).
PRODUCT_STATE = Document(
    "ProductState",
    """query ProductState($id: Int!, $username: String!) {
  product(id: $id) {
    id universe title originalTitle yearOfProduction dateRelease
    seasonNumber episodeNumber
    otherUserInfos(username: $username) { rating dateDone isDone isWished }
  }
}
""",
)

# --------------------------------------------------------------------- writes

PRODUCT_WISH = Document(
    "ProductWish",
    """mutation ProductWish($productId: Int!) {
  productWish(productId: $productId)
}
""",
)

PRODUCT_UNWISH = Document(
    "ProductUnwish",
    """mutation ProductUnwish($productId: Int!) {
  productUnwish(productId: $productId)
}
""",
)

PRODUCT_RATE = Document(
    "ProductRate",
    """mutation ProductRate($productId: Int!, $rating: Int!, $formatId: Int) {
  productRate(productId: $productId, rating: $rating, formatId: $formatId) {
    id
    currentUserInfos { rating }
  }
}
""",
)

MARK_DONE = UncertainMutation(
    Capability.MARK_DONE,
    "productDone",
    (
        Document(
            "ProductDone",
            """mutation ProductDone($productId: Int!) {
  productDone(productId: $productId) { success }
}
""",
        ),
        Document(
            "ProductDoneProduct",
            """mutation ProductDoneProduct($productId: Int!) {
  productDone(productId: $productId) {
    id
    currentUserInfos { isDone dateDone }
  }
}
""",
        ),
        Document(
            "ProductDoneScalar",
            """mutation ProductDoneScalar($productId: Int!) {
  productDone(productId: $productId)
}
""",
        ),
    ),
)

MARK_UNDONE = UncertainMutation(
    Capability.MARK_UNDONE,
    "productUndone",
    (
        Document(
            "ProductUndone",
            """mutation ProductUndone($productId: Int!) {
  productUndone(productId: $productId) { success }
}
""",
        ),
    ),
)

SET_DONE_DATE = UncertainMutation(
    Capability.SET_DONE_DATE,
    "setDateDone",
    (
        Document(
            "SetDateDone",
            """mutation SetDateDone($productId: Int!, $date: String!) {
  setDateDone(productId: $productId, date: $date)
}
""",
        ),
    ),
)

REMOVE_RATING = UncertainMutation(
    Capability.REMOVE_RATING,
    "productUnrate",
    (
        Document(
            "ProductUnrate",
            """mutation ProductUnrate($productId: Int!) {
  productUnrate(productId: $productId)
}
""",
        ),
        Document(
            "ProductUnrateProduct",
            """mutation ProductUnrateProduct($productId: Int!) {
  productUnrate(productId: $productId) { id }
}
""",
        ),
    ),
)

UNCERTAIN: tuple[UncertainMutation, ...] = (
    MARK_DONE,
    MARK_UNDONE,
    SET_DONE_DATE,
    REMOVE_RATING,
)


def done_date_argument(at: datetime) -> str:
    """The value of ``setDateDone(date:)`` for a watch at `at` (format guessed)."""
    return at.astimezone(UTC).date().isoformat()
