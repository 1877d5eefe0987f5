"""Finding FEC bulk files: which inputs PATH holds, of which kind and cycle.

PATH may be a folder, one zip as downloaded (`indiv16.zip`), one member file (`itcont.txt`) or
an independent-expenditure csv (`independent_expenditure_2016.csv`). Kinds are detected by name
only (the field count check happens when a file is read, in `moneytrail.data.fec.bulk`):

=========  ======================  ==============================
kind       zip as downloaded       member / loose file
=========  ======================  ==============================
itcont     ``indivYY.zip``         ``itcont.txt``
itoth      ``othYY.zip``           ``itoth.txt``
itpas2     ``pas2YY.zip``          ``itpas2.txt``
cm         ``cmYY.zip``            ``cm.txt``
cn         ``cnYY.zip``            ``cn.txt``
ccl        ``cclYY.zip``           ``ccl.txt``
oppexp     ``oppexpYY.zip``        ``oppexp.txt``
webk       ``webkYY.zip``          ``webkYY.txt`` (PAC and party summary)
weball     ``weballYY.zip``        ``weballYY.txt`` (all-candidate summary)
webl       ``weblYY.zip``          ``weblYY.txt`` (House/Senate current campaigns)
ie         --                      ``independent_expenditure_YYYY.csv``
=========  ======================  ==============================

Rules:

* A folder is searched at its top level and one level down (an unzipped download often sits in
  a folder of its own, e.g. ``indiv16/itcont.txt``). Names are matched case-insensitively.
* The cycle comes from the zip name (``indiv16.zip`` -> 2016), the csv name, or for a loose
  member from a two-digit suffix of its own name or its folder (``indiv16/itcont.txt``); else it
  is unknown (null).
* Inside a zip only the member named for the kind is read (``itcont.txt``); if there is none, the
  ``.txt`` members whose names start with the member stem (``by_date/itcont_2016_...txt``, and
  the summaries' ``webk16.txt``) are read instead. Reading both would count the same rows twice.
* A zip that cannot be read as the FEC's is a `DataError` before any row is read: one holding
  the same member name twice (also when only the letter case differs: the rows would count
  twice, or one copy would hide the other), an encrypted member, or a member compressed with a
  method the standard library cannot decompress (only stored, deflate, bzip2 and lzma can).
* Header files (``*_header_file.csv``) are optional and never read: the layouts are fixed in
  `moneytrail.data.fec.layouts`. Other unrecognized files are listed as ignored.
* The same kind and cycle found twice (``indiv16.zip`` next to an unzipped ``itcont.txt``) is a
  `DataError`: both hold the same rows and one must go.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from moneytrail.data.errors import DataError

#: zip stem prefix -> kind
ZIP_KINDS: dict[str, str] = {
    "indiv": "itcont",
    "oth": "itoth",
    "pas2": "itpas2",
    "cm": "cm",
    "cn": "cn",
    "ccl": "ccl",
    "oppexp": "oppexp",
    "webk": "webk",
    "weball": "weball",
    "webl": "webl",
}
#: kind -> member file stem (``itcont`` -> ``itcont.txt``)
MEMBER_STEMS: dict[str, str] = {kind: kind for kind in ZIP_KINDS.values()}

_ZIP_RE = re.compile(
    r"^(indiv|oth|pas2|cm|cn|ccl|oppexp|webk|weball|webl)(\d{2})\.zip$", re.IGNORECASE
)
_MEMBER_RE = re.compile(
    r"^(itcont|itoth|itpas2|cm|cn|ccl|oppexp|webk|weball|webl)(\d{2})?\.txt$", re.IGNORECASE
)
_IE_RE = re.compile(r"^independent_expenditure_(\d{4})\.csv$", re.IGNORECASE)
_HEADER_RE = re.compile(r"_header_file\.csv$", re.IGNORECASE)
_CYCLE_SUFFIX_RE = re.compile(r"(\d{2})$")


@dataclass(frozen=True, slots=True)
class FecFile:
    """One input to read: a loose file, or one member of a zip.

    Attributes:
        kind: one of the kinds in the module docstring.
        path: the file on disk (the zip for a member).
        member: the member's name inside the zip, or None for a loose file.
        cycle: the two-year election cycle (e.g. 2016), or None when the name does not say.
    """

    kind: str
    path: Path
    member: str | None
    cycle: int | None

    @property
    def label(self) -> str:
        """How reports and rejects name this input: ``indiv16.zip:itcont.txt`` or ``cm.txt``."""
        return f"{self.path.name}:{self.member}" if self.member else self.path.name


def _cycle_from_yy(yy: str) -> int:
    """Two-digit year -> cycle: FEC bulk data starts in 1980, so 80-99 are 19xx."""
    n = int(yy)
    return 1900 + n if n >= 80 else 2000 + n


#: Compression methods `zipfile` can read.
_READABLE_METHODS = frozenset(
    {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
)


def _check_member(zip_path: Path, info: zipfile.ZipInfo) -> None:
    """DataError when `info` cannot be read without a password or an unavailable codec."""
    if info.flag_bits & 0x1:
        raise DataError(f"zip member {info.filename} is encrypted", path=str(zip_path))
    if info.compress_type not in _READABLE_METHODS:
        raise DataError(
            f"zip member {info.filename} uses compression method {info.compress_type}, "
            "which cannot be read (re-zip it with deflate)",
            path=str(zip_path),
        )


def _members(zip_path: Path, kind: str) -> list[str]:
    """The members of `zip_path` that hold `kind` rows (see the module docstring)."""
    stem = MEMBER_STEMS[kind]
    try:
        with zipfile.ZipFile(zip_path) as zf:
            infos = [i for i in zf.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError) as exc:
        raise DataError(f"not a readable zip file ({exc})", path=str(zip_path)) from exc
    exact = [i for i in infos if i.filename.lower() == f"{stem}.txt"]
    chosen = exact or [
        i
        for i in infos
        if Path(i.filename).name.lower().startswith(stem) and i.filename.lower().endswith(".txt")
    ]
    if not chosen:
        raise DataError(f"zip holds no {stem}.txt member", path=str(zip_path))
    seen: set[str] = set()
    for info in chosen:
        if info.filename.lower() in seen:
            raise DataError(
                f"zip holds {info.filename} more than once: its rows would count twice",
                path=str(zip_path),
            )
        seen.add(info.filename.lower())
        _check_member(zip_path, info)
    return sorted(i.filename for i in chosen)


def classify(path: Path) -> list[FecFile] | None:
    """The FEC inputs one file on disk holds, or None when its name is not an FEC bulk name."""
    name = path.name
    if m := _ZIP_RE.match(name):
        kind = ZIP_KINDS[m.group(1).lower()]
        cycle = _cycle_from_yy(m.group(2))
        return [FecFile(kind, path, member, cycle) for member in _members(path, kind)]
    if m := _MEMBER_RE.match(name):
        yy = m.group(2) or (
            c.group(1) if (c := _CYCLE_SUFFIX_RE.search(path.parent.name)) else None
        )
        return [FecFile(m.group(1).lower(), path, None, _cycle_from_yy(yy) if yy else None)]
    if m := _IE_RE.match(name):
        return [FecFile("ie", path, None, int(m.group(1)))]
    return None


def _candidates(folder: Path) -> list[Path]:
    """Files at the top of `folder` and one level down, in a stable order."""
    out: list[Path] = []
    for entry in sorted(folder.iterdir()):
        if entry.is_file():
            out.append(entry)
        elif entry.is_dir() and not entry.name.startswith("."):
            out.extend(sorted(p for p in entry.iterdir() if p.is_file()))
    return out


def find_fec_files(path: Path) -> tuple[list[FecFile], list[str]]:
    """The FEC inputs under `path`, and the names of files that were ignored.

    Raises:
        DataError: PATH holds no FEC bulk file, or holds the same kind and cycle twice.
    """
    if path.is_file():
        found = classify(path)
        if not found:
            raise DataError("not an FEC bulk file name", path=str(path))
        return found, []
    return fec_files_in(_candidates(path), path)


def fec_files_in(candidates: list[Path], root: Path) -> tuple[list[FecFile], list[str]]:
    """The FEC inputs among the files `candidates` (found under folder `root`), and the names
    (relative to `root`) of those that were ignored.

    Raises:
        DataError: none of them is an FEC bulk file, or the same kind and cycle is found twice.
    """
    files: list[FecFile] = []
    ignored: list[str] = []
    for candidate in candidates:
        found = classify(candidate)
        if found is None:
            if not _HEADER_RE.search(candidate.name):
                ignored.append(str(candidate.relative_to(root)))
            continue
        files.extend(found)
    if not files:
        raise DataError("no FEC bulk files found", path=str(root))
    seen: dict[tuple[str, int | None], FecFile] = {}
    for f in files:
        key = (f.kind, f.cycle)
        other = seen.get(key)
        if other is not None and other.path != f.path:
            raise DataError(
                f"{f.kind} rows for cycle {f.cycle or 'unknown'} found twice "
                f"({other.path.name} and {f.path.name}): keep one",
                path=str(root),
            )
        seen[key] = f
    return files, ignored


def is_fec_path(path: Path) -> bool:
    """True when `path` is, or directly holds, FEC bulk files (by name; nothing is read)."""
    if path.is_file():
        return bool(
            _ZIP_RE.match(path.name) or _MEMBER_RE.match(path.name) or _IE_RE.match(path.name)
        )
    if not path.is_dir():
        return False
    for candidate in _candidates(path):
        name = candidate.name
        if _ZIP_RE.match(name) or _MEMBER_RE.match(name) or _IE_RE.match(name):
            return True
    return False
