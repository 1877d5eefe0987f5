"""FEC bulk data importer: the FEC's own downloads (zips, members, the IE csv) as a `Dataset`.

Public entry points:

* `is_fec_path(path)`: does PATH hold FEC bulk files (by name; nothing is read)?
* `import_fec(path, progress=None)`: read them into the normalized model, every dollar counted
  once (docs/fec.md describes the rules with the FEC codes).

Pure data layer: Polars and the standard library only.
"""

from __future__ import annotations

from moneytrail.data.fec.files import is_fec_path
from moneytrail.data.fec.importer import import_fec

__all__ = ["import_fec", "is_fec_path"]
