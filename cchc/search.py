"""Searching Vietnamese names as people type them: "cam son", "Cẩm Sơn" and "CẨM SƠN"
all find "Xã Cẩm Sơn".

Both sides are folded: lower case, without tone marks or diacritics, đ as d. The
databases cannot do it alike on their own (SQLite's LIKE and LOWER know only ASCII;
PostgreSQL's lower() follows the server's locale, and unaccent is an extension), so
one table of letters drives both: PostgreSQL's translate() reads it, and on SQLite
the same table runs as a Python function registered on each connection. Combining
marks are dropped too, so text stored decomposed (NFD) folds the same way.
"""

import unicodedata

from django.db.models import CharField, Func, Value

# Latin letters with diacritics (Vietnamese uses those of Latin-1, Latin Extended-A/B
# and Latin Extended Additional), ASCII capitals, đ/Đ (which do not decompose).
LETTERS = [chr(c) for c in (*range(0x41, 0x5B), *range(0xC0, 0x250), *range(0x1E00, 0x1F00))]
COMBINING = "".join(chr(c) for c in range(0x300, 0x370))


def _base(letter: str) -> str | None:
    if letter in "đĐ":
        return "d"
    first = unicodedata.normalize("NFD", letter)[0]
    return first.lower() if first.isascii() and first.isalpha() else None


FOLDS = {letter: _base(letter) for letter in LETTERS if _base(letter)}
FROM = "".join(FOLDS)
TO = "".join(FOLDS.values())
TABLE = str.maketrans(FROM, TO, COMBINING)
SQLITE_FUNCTION = "cchc_fold"


def fold(text: str) -> str:
    """`text` folded for searching, as `Folded` folds a column."""
    return text.translate(TABLE)


class Folded(Func):
    """A text column folded in SQL, exactly as `fold` folds in Python."""

    output_field = CharField()

    def __init__(self, expression, **extra) -> None:
        # translate() deletes the characters of FROM that have no partner in TO.
        super().__init__(expression, Value(FROM + COMBINING), Value(TO), **extra)

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="TRANSLATE", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        return f"{SQLITE_FUNCTION}({column})", params


def register_sqlite_fold(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: give each SQLite connection the fold function."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            SQLITE_FUNCTION,
            1,
            lambda text: None if text is None else fold(text),
            deterministic=True,
        )
