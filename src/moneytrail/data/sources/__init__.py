"""Readers for the filing systems of the story: IRS 527 bulk data and state exports.

Each module here reads one published format into a `SourceRead`
(`moneytrail.data.sources.read`): transactions in the loaded column names and dtypes of
`moneytrail.data.schema.TRANSACTIONS` (plus a few extra columns, such as `source` and
`memo_reason`), the committees it names, the keys that can link a committee to the same
committee in another filing system, rejects with their file and 1-based physical line, and one
`FileReport` per file. docs/sources.md documents each format, its mapping and its quirks.

* `irs8872`: IRS Form 8871/8872 bulk data (`FullDataFile.txt`).
* `florida`: Florida Division of Elections contribution and expenditure exports.
* `louisiana`: Louisiana Ethics Administration contribution and expenditure exports.
* `texas`: Texas Ethics Commission bulk CSVs (contribs, expend, filers).
* `mapping`: any CSV by a TOML mapping.
* `folder`: a folder of such files as one dataset.
* `links`: linking the same committee across filing systems and counting its money once.
"""
