"""The fixed column layouts of the FEC bulk files (the FEC's `*_header_file.csv`, built in).

Each pipe-delimited kind has a fixed list of fields; a line is valid only with exactly that many
fields (`oppexp` lines carry one extra, empty, trailing field: its lines end with `|`). The names
are the FEC's own, as on the data-dictionary pages named in docs/fec.md.
"""

from __future__ import annotations

_TX = (
    "CMTE_ID",
    "AMNDT_IND",
    "RPT_TP",
    "TRANSACTION_PGI",
    "IMAGE_NUM",
    "TRANSACTION_TP",
    "ENTITY_TP",
    "NAME",
    "CITY",
    "STATE",
    "ZIP_CODE",
    "EMPLOYER",
    "OCCUPATION",
    "TRANSACTION_DT",
    "TRANSACTION_AMT",
    "OTHER_ID",
)
_TX_TAIL = ("TRAN_ID", "FILE_NUM", "MEMO_CD", "MEMO_TEXT", "SUB_ID")

LAYOUTS: dict[str, tuple[str, ...]] = {
    # Contributions by individuals.
    "itcont": (*_TX, *_TX_TAIL),
    # Any transaction from one committee to another.
    "itoth": (*_TX, *_TX_TAIL),
    # Contributions from committees to candidates and independent expenditures.
    "itpas2": (*_TX, "CAND_ID", *_TX_TAIL),
    # Committee master.
    "cm": (
        "CMTE_ID",
        "CMTE_NM",
        "TRES_NM",
        "CMTE_ST1",
        "CMTE_ST2",
        "CMTE_CITY",
        "CMTE_ST",
        "CMTE_ZIP",
        "CMTE_DSGN",
        "CMTE_TP",
        "CMTE_PTY_AFFILIATION",
        "CMTE_FILING_FREQ",
        "ORG_TP",
        "CONNECTED_ORG_NM",
        "CAND_ID",
    ),
    # Candidate master.
    "cn": (
        "CAND_ID",
        "CAND_NAME",
        "CAND_PTY_AFFILIATION",
        "CAND_ELECTION_YR",
        "CAND_OFFICE_ST",
        "CAND_OFFICE",
        "CAND_OFFICE_DISTRICT",
        "CAND_ICI",
        "CAND_STATUS",
        "CAND_PCC",
        "CAND_ST1",
        "CAND_ST2",
        "CAND_CITY",
        "CAND_ST",
        "CAND_ZIP",
    ),
    # Candidate-committee linkages.
    "ccl": (
        "CAND_ID",
        "CAND_ELECTION_YR",
        "FEC_ELECTION_YR",
        "CMTE_ID",
        "CMTE_TP",
        "CMTE_DSGN",
        "LINKAGE_ID",
    ),
    # Operating expenditures (each line ends with an extra `|`).
    "oppexp": (
        "CMTE_ID",
        "AMNDT_IND",
        "RPT_YR",
        "RPT_TP",
        "IMAGE_NUM",
        "LINE_NUM",
        "FORM_TP_CD",
        "SCHED_TP_CD",
        "NAME",
        "CITY",
        "STATE",
        "ZIP_CODE",
        "TRANSACTION_DT",
        "TRANSACTION_AMT",
        "TRANSACTION_PGI",
        "PURPOSE",
        "CATEGORY",
        "CATEGORY_DESC",
        "MEMO_CD",
        "MEMO_TEXT",
        "ENTITY_TP",
        "SUB_ID",
        "FILE_NUM",
        "TRAN_ID",
        "BACK_REF_TRAN_ID",
    ),
}

#: Kinds whose lines end with one extra separator (an empty trailing field).
TRAILING_SEPARATOR: frozenset[str] = frozenset({"oppexp"})

#: Columns of the independent-expenditure csv (it has its own header line).
IE_COLUMNS: tuple[str, ...] = (
    "cand_id",
    "cand_name",
    "spe_id",
    "spe_nam",
    "ele_type",
    "can_office_state",
    "can_office_dis",
    "can_office",
    "cand_pty_aff",
    "exp_amo",
    "exp_date",
    "agg_amo",
    "sup_opp",
    "pur",
    "pay",
    "file_num",
    "amndt_ind",
    "tran_id",
    "image_num",
    "receipt_dat",
    "fec_election_yr",
    "prev_file_num",
    "dissem_dt",
)
#: The IE csv columns a file must have (older years lack some of the others).
IE_REQUIRED: tuple[str, ...] = ("cand_id", "spe_id", "exp_amo", "exp_date", "sup_opp")


def accepted_separator_counts(kind: str) -> tuple[int, ...]:
    """How many `|` a valid line of `kind` holds (oppexp: with or without the trailing one)."""
    n = len(LAYOUTS[kind]) - 1
    return (n + 1, n) if kind in TRAILING_SEPARATOR else (n,)
