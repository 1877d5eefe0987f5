"""The FEC bulk files as a source: `moneytrail.data.fec` behind the `Source` protocol.

Sniffing: the FEC's documented file names say which kind a file is (``indiv16.zip``,
``itcont.txt``, ``independent_expenditure_2016.csv``); the content confirms it: a zip must hold
the kind's member, a pipe file's first line must have the kind's field count, the IE csv's
header must name ``spe_id``. A name whose content does not confirm it still belongs to the FEC
reader (`BY_NAME`), which then rejects the lines or the file with the reason. The FEC's
``*_header_file.csv`` files are claimed as companions and skipped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from moneytrail.data.errors import DataError
from moneytrail.data.fec.files import _HEADER_RE, _IE_RE, _MEMBER_RE, _ZIP_RE, classify
from moneytrail.data.fec.importer import ReuseFn, import_fec
from moneytrail.data.fec.layouts import LAYOUTS
from moneytrail.data.progress import ProgressCallback
from moneytrail.data.sources.base import (
    BY_NAME,
    CERTAIN,
    COMPANION,
    NOT_MINE,
    Option,
    SourceRead,
    dataset_read,
    first_line,
)

#: Field count of each pipe kind's lines (oppexp lines end with an extra empty field).
_FIELDS = {kind: len(cols) + (1 if kind == "oppexp" else 0) for kind, cols in LAYOUTS.items()}


class FecSource:
    """FEC bulk files (folder, zips as downloaded, member files, the IE csv)."""

    name = "fec"
    title = "FEC bulk files"
    options: tuple[Option, ...] = ()
    qualify_ids = False
    always_cache = True
    #: `read` takes a `workdir` and stores the rows there out of core (`import_fec`).
    streams = True

    def sniff(self, path: Path) -> float:
        name = path.name
        if _HEADER_RE.search(name):
            return COMPANION
        if _ZIP_RE.match(name):
            try:
                return CERTAIN if classify(path) else BY_NAME
            except DataError:
                return BY_NAME  # the reader says what is wrong with the zip
        if m := _MEMBER_RE.match(name):
            fields = first_line(path).count("|") + 1
            return CERTAIN if fields == _FIELDS.get(m.group(1).lower()) else BY_NAME
        if _IE_RE.match(name):
            return CERTAIN if "spe_id" in first_line(path).lower() else BY_NAME
        return NOT_MINE

    def read(
        self,
        files: Sequence[Path],
        root: Path,
        options: Mapping[str, str],
        progress: ProgressCallback | None,
        workdir: Path | None = None,
        reuse: ReuseFn | None = None,
    ) -> SourceRead:
        """The files as a `SourceRead`; with `workdir`, stored there out of core and tagged
        (cycles an earlier import stored found through `reuse`)."""
        tag = self.name if workdir is not None else None
        chosen = None if root.is_file() else list(files)
        ds = import_fec(root, progress, files=chosen, workdir=workdir, tag=tag, reuse=reuse)
        return replace(dataset_read(ds), tagged=workdir is not None)
