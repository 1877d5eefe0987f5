"""Donor identity: name and ZIP normalization, and the `donor_key` every reader derives.

The FEC's own donor heuristic treats two individual contributions as the same person when the
normalized name and the 5-digit ZIP agree. This module is the one place that rule lives, as
native Polars expressions (readers apply them to millions of rows; no Python per row) plus a
pure-Python twin, `normalize_name`, for tests and CLI look-ups. The two are kept in lock-step by
tests that compare them on many inputs. (They can differ only on letters newer than this
Python's Unicode database, whose case mappings Polars may already know.)

Person names (`normalize_name_expr`, `normalize_name`):

1. Upper-case; accents and other combining marks are removed after NFKD decomposition
   (`José` → `JOSE`, full-width and ligature forms fold to plain letters).
2. Apostrophes and hyphens are deleted, joining what they separated (`O'Brien` → `OBRIEN`,
   `Smith-Jones` → `SMITHJONES`). Every other character that is not a letter, a digit or a comma
   becomes a space (`J.` → `J`, `Dr.` → `DR`).
3. Titles and suffixes (`TITLES_AND_SUFFIXES`: MR, MRS, MS, DR, JR, SR, II, III, IV, ESQ, PHD,
   MD, ...) are dropped wherever they stand as whole words.
4. Order: with a comma and words on both sides of it, the name is `LAST, FIRST MIDDLE` (further
   commas are spaces); otherwise the words there are read as `FIRST MIDDLE LAST`
   (`JOHN SMITH, JR.` is `FIRST LAST, SUFFIX`). The result is `"<LAST> <FIRST>"`: the *last
   word* of the surname and the *first word* of the given names. Middle names and initials are
   dropped, so `SMITH, JOHN A`, `John A. Smith`, `Mr. John Smith Jr.` and `JOHN ALLEN SMITH`
   are all `SMITH JOHN`. Multi-word surnames keep their last word on both sides
   (`VAN DYKE, JOHN` and `John van Dyke` are both `DYKE JOHN`), because without a comma we
   cannot tell where a surname begins. A single word stays as it is; a name with nothing
   left is `""`.

Organization and committee names (`normalize_org_expr`, `normalize_org`) get steps 1-2 only
(commas become spaces too) and keep their word order: `Acme, Inc.` → `ACME INC`.

ZIP codes (`zip5_expr`, `zip5`): the first five ASCII digits when the value starts with them
(leading spaces allowed): `33101-1234` and `331011234` → `33101`; anything else → null.

Donor keys (`donor_key_expr`) from the loaded transaction columns:

* individuals (and rows of any other `source_kind`): `I|<normalize_name(source_name)>|<zip5>`
  (an unknown ZIP gives an empty last part: `I|SMITH JOHN|`), split further by the middle
  initial and the generational suffix when they tell people apart (below);
* organizations: `O|<normalize_org(source_name)>`;
* committees: `C|<source_id>` (trimmed), or `C|<normalize_org(source_name)>` when the id is
  missing or blank.

A null name normalizes to `""` inside a key, so a key is never null.

Middle initials and generational suffixes (read by `with_donor_keys`):
the middle initial is the first letter of the second given name (`SMITH, JOHN ALLEN` → `A`;
`John A. Smith` → `A`; a surname repeated at the end, `SMITH, JOHN SMITH`, is not one), the
suffix the first of `GENERATIONAL_SUFFIXES` in the name (`JR`, `SR`, `II`, `III`, `IV`).
Among the people who share a key above (same last name, first name and ZIP), two names
that differ by middle initial (`SMITH, JOHN A` and `SMITH, JOHN B`) or by suffix (`SMITH,
JOHN JR` and `SMITH, JOHN SR`; `II` and `III`) are never the same donor: when such a group
holds more than one initial or more than one suffix, the key gains
`|<initial>|<suffix>` (`I|SMITH JOHN|33101|A|`, `I|SMITH JOHN|33101|B|`). A name *missing* the
initial (or the suffix) may merge: it takes the group's only initial (suffix) when there is
exactly one, and stays on its own (`I|SMITH JOHN|33101||`) when there are several, since it
could be either. A group with at most one initial and one suffix keeps the plain key, so
`SMITH, JOHN`, `SMITH, JOHN A` and `JOHN ALLEN SMITH JR` at one ZIP are one donor. The group
step is a window over a whole frame: `with_donor_keys` (what `finalize_transactions` runs on
all of a dataset's rows) does it; `donor_key_expr` and `donor_key`, the one-row twin, cannot
see a group and give the plain key.
"""

from __future__ import annotations

import re
import unicodedata

import polars as pl

#: Whole words dropped from person names: courtesy titles, then generational and professional
#: suffixes. `V` (a fifth) and `DO` (a Vietnamese surname) are left out on purpose: as words in
#: a name they are far more often an initial or a surname than a suffix.
TITLES_AND_SUFFIXES: tuple[str, ...] = (
    "MR",
    "MRS",
    "MS",
    "MISS",
    "MX",
    "DR",
    "REV",
    "HON",
    "PROF",
    "SIR",
    "JR",
    "SR",
    "II",
    "III",
    "IV",
    "ESQ",
    "ESQUIRE",
    "PHD",
    "MD",
    "DDS",
    "DMD",
    "DVM",
    "CPA",
    "RN",
)

#: Suffixes that tell a parent from a child: names differing by one are never merged.
GENERATIONAL_SUFFIXES: tuple[str, ...] = ("JR", "SR", "II", "III", "IV")

_DROP = frozenset(TITLES_AND_SUFFIXES)
_BLANK = " \t\r\n"
# Deleted (joining what they separate) rather than turned into spaces.
_JOINERS = "'‘’`-"
_JOINERS_RE = r"['‘’`\-]"
# A token surrounded by its own pair of spaces (see `_drop_titles`).
_DROP_RE = " (?:" + "|".join(TITLES_AND_SUFFIXES) + ") "


#: How each donor key shape begins (module docstring).
_PERSON, _ORGANIZATION, _COMMITTEE = "I|", "O|", "C|"


# --- expressions ----------------------------------------------------------------------------


def _fold(col: pl.Expr) -> pl.Expr:
    """Steps 1-2: upper-case, strip marks, delete joiners, other non-alphanumerics → space.

    Commas survive (they decide the word order of person names).
    """
    return (
        col.str.to_uppercase()
        .str.normalize("NFKD")
        .str.replace_all(r"\p{M}+", "")
        .str.to_uppercase()  # NFKD can yield lower-case letters (e.g. `ª` → `a`).
        .str.replace_all(_JOINERS_RE, "")
        .str.replace_all(r"[^\p{L}\p{N},]+", " ")
    )


def _drop_titles(part: pl.Expr) -> pl.Expr:
    """`part` (letters, digits, single spaces) without title/suffix words, padded with spaces.

    Doubling every space gives each word its own pair of surrounding spaces, so adjacent titles
    (`MR DR`) are all matched by one non-overlapping `replace_all`.
    """
    padded = pl.concat_str([pl.lit(" "), part.str.replace_all(" ", "  "), pl.lit(" ")])
    return padded.str.replace_all(_DROP_RE, " ")


def _first_word(part: pl.Expr) -> pl.Expr:
    return part.str.extract(r"^ *([^ ]+)", 1)


def _last_word(part: pl.Expr) -> pl.Expr:
    return part.str.extract(r"([^ ]+) *$", 1)


def _name_struct(col: pl.Expr) -> pl.Expr:
    """A struct of a person's name: ``out`` (`"<LAST> <FIRST>"`), ``middle``, ``suffix``.

    Built as a chain of struct fields so each intermediate (the folded text above all) is
    computed once: an expression that names a sub-expression twice evaluates it twice.
    """
    f = pl.field
    folded = _fold(col)
    parts = pl.struct(
        folded.str.splitn(",", 2).alias("p"),
        # Generational suffix: the first one standing as a word anywhere in the name.
        pl.concat_str([pl.lit(" "), folded.str.replace_all(",", " "), pl.lit(" ")])
        .str.extract(" (" + "|".join(GENERATIONAL_SUFFIXES) + ") ", 1)
        .alias("suffix"),
    ).struct.with_fields(
        surname=_drop_titles(f("p").struct.field("field_0")),
        given=_drop_titles(f("p").struct.field("field_1").str.replace_all(",", " ")),
        has_comma=f("p").struct.field("field_1").is_not_null(),
    )
    ends = parts.struct.with_fields(
        surname_last=_last_word(f("surname")), given_first=_first_word(f("given"))
    )
    # `LAST, FIRST` needs words on both sides of the comma; otherwise the words that are
    # there read FIRST ... LAST (`JOHN SMITH, JR.`, `, JOHN SMITH`).
    plain_words = ends.struct.with_fields(
        comma_form=f("has_comma")
        & f("surname_last").is_not_null()
        & f("given_first").is_not_null(),
        words=pl.when(f("surname_last").is_not_null()).then(f("surname")).otherwise(f("given")),
    )
    plain_ends = plain_words.struct.with_fields(
        last=_last_word(f("words")),
        first=pl.when(f("words").str.count_matches("[^ ]+") >= 2).then(_first_word(f("words"))),
        given_count=f("given").str.count_matches("[^ ]+"),
        words_count=f("words").str.count_matches("[^ ]+"),
    )
    # The middle initial: the second given name's first letter. Filers often repeat the
    # surname after the given names (`CORGEL, RICHARD CORGEL`): that word is not a middle name.
    repeated_surname = (f("given_count") == 2) & (_last_word(f("given")) == f("surname_last"))
    second_initial = r"^ *[^ ]+ +([^ ])"
    middle = (
        pl.when(f("comma_form") & ~repeated_surname.fill_null(False))
        .then(f("given").str.extract(second_initial, 1))
        .when(~f("comma_form") & (f("words_count") >= 3))
        .then(f("words").str.extract(second_initial, 1))
        .otherwise(None)
    )
    done = plain_ends.struct.with_fields(
        out=pl.when(f("comma_form"))
        .then(pl.concat_str([f("surname_last"), f("given_first")], separator=" "))
        .otherwise(pl.concat_str([f("last"), f("first")], separator=" ", ignore_nulls=True)),
        middle=middle,
    )
    # Only `out`, `middle` and `suffix` are read: the intermediate fields are dropped (set to
    # null) so a parsed column kept across steps holds three short strings per row, not twelve.
    spent = ("p", "surname", "given", "surname_last", "given_first", "words", "last", "first")
    return done.struct.with_fields(*(pl.lit(None).alias(name) for name in spent))


def normalize_name_expr(col: pl.Expr) -> pl.Expr:
    """A person's name as `"<LAST> <FIRST>"` (see the module docstring); null stays null."""
    result = _name_struct(col).struct.field("out")
    # Named after `col` (the pieces above would otherwise name it after a struct field).
    return pl.when(col.is_not_null()).then(result.fill_null("")).name.keep()


def normalize_org_expr(col: pl.Expr) -> pl.Expr:
    """An organization's or committee's name: folded, word order kept; null stays null."""
    return _fold(col).str.replace_all(",", " ").str.replace_all(" +", " ").str.strip_chars(" ")


def zip5_expr(col: pl.Expr) -> pl.Expr:
    """The 5-digit ZIP a value starts with (`33101-1234` → `33101`), else null."""
    return col.str.extract(r"^ *([0-9]{5})", 1)


def donor_key_expr() -> pl.Expr:
    """The plain `donor_key` of each row (before `with_donor_keys` splits people apart).

    From `source_kind`, `source_id`, `source_name`, `source_zip`; aliased `donor_key`. See the
    module docstring for the three key shapes.
    """
    return _donor_key(normalize_name_expr(pl.col("source_name")))


def donor_bucket_expr(buckets: int) -> pl.Expr:
    """A bucket number in ``0..buckets-1`` per row such that every row of one plain donor key
    (and so of one final `donor_key`) gets the same bucket, computed without parsing names.

    People's keys end in their ZIP, so people are bucketed by ZIP; organizations by their
    normalized name; committees by id (else name). A large import finishes donor identities
    one bucket at a time (`moneytrail.data.fec.importer`); `donor_key_buckets` finds a key's
    bucket again from the key alone.
    """
    kind = pl.col("source_kind")
    org = normalize_org_expr(pl.col("source_name"))
    source_id = pl.col("source_id").str.strip_chars(_BLANK)
    committee = pl.when(source_id.is_not_null() & (source_id != "")).then(source_id).otherwise(org)
    key = (
        pl.when(kind == "committee")
        .then(pl.concat_str([pl.lit(_COMMITTEE), committee]))
        .when(kind == "organization")
        .then(pl.concat_str([pl.lit(_ORGANIZATION), org]))
        .otherwise(pl.concat_str([pl.lit(_PERSON), zip5_expr(pl.col("source_zip"))]))
    )
    return _bucket_of(key, buckets)


def _bucket_of(bucket_text: pl.Expr, buckets: int) -> pl.Expr:
    """The bucket of a row's bucket text: its hash modulo `buckets`.

    A null text (no ZIP, no name) has a hash too (Polars hashes null to a value of its own), so
    `donor_key_buckets` hashes a null text through this same expression.
    """
    return (bucket_text.hash() % buckets).fill_null(0).cast(pl.UInt32)


def donor_key_buckets(key: str, buckets: int) -> tuple[int, ...] | None:
    """The buckets `donor_bucket_expr(buckets)` can have put the rows of `key` in, sorted.

    A key holds its bucket text: a committee's or an organization's key *is* it, a person's
    key names the ZIP (`I|<name>|<zip5>[|...]`; names hold no ``|``). One ambiguity is left: an
    empty committee or organization name (`C|`, `O|`) comes from a missing name (a null text)
    or from one that normalizes to nothing (the text `C|`), so both buckets are given; an
    empty ZIP is always a missing one (`zip5_expr` never gives ""). None for a key of no
    known shape (its rows may be in any bucket).

    Buckets are Polars hashes: they hold only under the Polars version that stored them.
    """
    texts: list[str | None]
    if key.startswith(_PERSON):
        _name, bar, tail = key.removeprefix(_PERSON).partition("|")
        if not bar:
            return None
        zip_code = tail.partition("|")[0]
        texts = [_PERSON + zip_code if zip_code else None]
    elif key.startswith((_COMMITTEE, _ORGANIZATION)):
        texts = [key] if len(key) > len(_COMMITTEE) else [None, key]
    else:
        return None
    numbers = pl.select(_bucket_of(pl.lit(pl.Series(texts, dtype=pl.String)), buckets))
    return tuple(sorted(set(numbers.to_series().to_list())))


def _donor_key(person_name: pl.Expr, org_name: pl.Expr | None = None) -> pl.Expr:
    kind = pl.col("source_kind")
    name = pl.col("source_name")
    source_id = pl.col("source_id").str.strip_chars(_BLANK)
    org = (normalize_org_expr(name) if org_name is None else org_name).fill_null("")
    person = pl.concat_str(
        [
            pl.lit(_PERSON),
            person_name.fill_null(""),
            pl.lit("|"),
            zip5_expr(pl.col("source_zip")).fill_null(""),
        ]
    )
    committee = (
        pl.when(source_id.is_not_null() & (source_id != ""))
        .then(pl.concat_str([pl.lit(_COMMITTEE), source_id]))
        .otherwise(pl.concat_str([pl.lit(_COMMITTEE), org]))
    )
    return (
        pl.when(kind == "committee")
        .then(committee)
        .when(kind == "organization")
        .then(pl.concat_str([pl.lit(_ORGANIZATION), org]))
        .otherwise(person)
        .alias("donor_key")
    )


_TEMP = "_mt_name"
_ORG = "_mt_org"


def with_donor_keys(lf: pl.LazyFrame) -> pl.LazyFrame:
    """`lf` with its `donor_key` column: plain keys, split by middle initial and suffix.

    The split looks at whole groups (module docstring), so it runs on all of a dataset's rows
    at once (`finalize_transactions`), or on any part of them that holds every row of each plain
    key (the FEC import's donor buckets): `split_donor_keys(plain_donor_keys(lf))`.
    """
    return split_donor_keys(plain_donor_keys(lf))


#: The columns `plain_donor_keys` adds beside `donor_key` for `split_donor_keys`.
NAME_PARTS: tuple[str, ...] = ("_mt_middle", "_mt_suffix")


def plain_donor_keys(lf: pl.LazyFrame) -> pl.LazyFrame:
    """`lf` with its plain `donor_key` and the middle initial and suffix of each person's name.

    Row by row (no grouping across rows), so it can run on any part of the rows. Each
    *distinct* `source_name` is parsed once (as a person, into one struct whose intermediate
    fields are already emptied, `_name_struct`, and as an organization) and joined back to its
    rows: donors give many times under one name, so this parses a fraction of the rows.
    """
    f = pl.col
    is_person = ~f("source_kind").is_in(["committee", "organization"]).fill_null(False)
    names = lf.select(f("source_name").unique()).with_columns(
        _name_struct(f("source_name")).alias(_TEMP),
        normalize_org_expr(f("source_name")).alias(_ORG),
    )
    parsed = lf.join(names, on="source_name", how="left", maintain_order="left", nulls_equal=True)
    name = f(_TEMP).struct
    person = pl.when(f("source_name").is_not_null()).then(name.field("out").fill_null(""))
    return parsed.with_columns(
        _donor_key(person, f(_ORG)),
        pl.when(is_person).then(name.field("middle")).alias(NAME_PARTS[0]),
        pl.when(is_person).then(name.field("suffix")).alias(NAME_PARTS[1]),
    ).drop(_TEMP, _ORG)


def split_donor_keys(plain: pl.LazyFrame) -> pl.LazyFrame:
    """`plain_donor_keys` output with people split by initial and suffix where a key holds several.

    Per plain key: how many distinct initials (suffixes) it holds, and the largest one (the
    only one when there is one). Windows over one column share one grouping; they group on
    the key's 64-bit hash, far cheaper than on the strings (a collision could only ever
    split two names that would otherwise merge, at odds of about n²/2⁶⁵). `n_unique`
    counts null once, so it is taken back out. Windows add no copy of the frame (a join
    would: +20% peak memory on an FEC import).
    """
    f = pl.col
    qualified = NAME_PARTS
    group = "_mt_group"
    stats = plain.with_columns(f("donor_key").hash().alias(group)).with_columns(
        *(
            (f(c).n_unique().over(group) - f(c).is_null().any().over(group).cast(pl.UInt32)).alias(
                f"{c}_n"
            )
            for c in qualified
        ),
        *(f(c).max().over(group).alias(f"{c}_only") for c in qualified),
    )
    qualifiers = [
        pl.coalesce(f(c), pl.when(f(f"{c}_n") == 1).then(f(f"{c}_only")).otherwise(pl.lit("")))
        for c in qualified
    ]
    several = pl.any_horizontal(f(f"{c}_n") > 1 for c in qualified)
    split = pl.concat_str([f("donor_key"), pl.lit("|"), qualifiers[0], pl.lit("|"), qualifiers[1]])
    temps = [group, *(f"{c}{s}" for c in qualified for s in ("", "_n", "_only"))]
    return stats.with_columns(
        donor_key=pl.when(several).then(split).otherwise(f("donor_key"))
    ).drop(temps)


# --- the pure-Python twin -------------------------------------------------------------------


def _fold_py(s: str) -> str:
    s = unicodedata.normalize("NFKD", s.upper())
    s = "".join(c for c in s if not unicodedata.category(c).startswith("M")).upper()
    s = "".join(c for c in s if c not in _JOINERS)
    out: list[str] = []
    for c in s:
        keep = c == "," or unicodedata.category(c)[0] in "LN"
        if keep:
            out.append(c)
        elif not out or out[-1] != " ":
            out.append(" ")
    return "".join(out)


def _words(part: str) -> list[str]:
    return [w for w in part.split(" ") if w and w not in _DROP]


def normalize_name(s: str) -> str:
    """`normalize_name_expr` for one Python string (identical results; see module docstring)."""
    folded = _fold_py(s)
    if "," in folded:
        surname_part, given_part = folded.split(",", 1)
        surname = _words(surname_part)
        given = _words(given_part.replace(",", " "))
        if surname and given:
            return f"{surname[-1]} {given[0]}"
        words = surname or given
    else:
        words = _words(folded)
    if len(words) >= 2:
        return f"{words[-1]} {words[0]}"
    return words[0] if words else ""


def normalize_org(s: str) -> str:
    """`normalize_org_expr` for one Python string."""
    return " ".join(w for w in _fold_py(s).replace(",", " ").split(" ") if w)


_ZIP5 = re.compile(r"^ *([0-9]{5})")


def zip5(s: str | None) -> str | None:
    """`zip5_expr` for one Python value."""
    if s is None:
        return None
    m = _ZIP5.match(s)
    return m.group(1) if m else None


def donor_key(
    source_kind: str | None,
    source_name: str | None,
    source_zip: str | None = None,
    source_id: str | None = None,
) -> str:
    """`donor_key_expr` for one row's values (for CLI look-ups and tests)."""
    org = normalize_org(source_name) if source_name is not None else ""
    if source_kind == "committee":
        sid = source_id.strip(_BLANK) if source_id is not None else ""
        return f"{_COMMITTEE}{sid or org}"
    if source_kind == "organization":
        return f"{_ORGANIZATION}{org}"
    person = normalize_name(source_name) if source_name is not None else ""
    return f"{_PERSON}{person}|{zip5(source_zip) or ''}"
