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

_CANDIDATE_SUMMARY = (
    "CAND_ID",
    "CAND_NAME",
    "CAND_ICI",
    "PTY_CD",
    "CAND_PTY_AFFILIATION",
    "TTL_RECEIPTS",
    "TRANS_FROM_AUTH",
    "TTL_DISB",
    "TRANS_TO_AUTH",
    "COH_BOP",
    "COH_COP",
    "CAND_CONTRIB",
    "CAND_LOANS",
    "OTHER_LOANS",
    "CAND_LOAN_REPAY",
    "OTHER_LOAN_REPAY",
    "DEBTS_OWED_BY",
    "TTL_INDIV_CONTRIB",
    "CAND_OFFICE_ST",
    "CAND_OFFICE_DISTRICT",
    "SPEC_ELECTION",
    "PRIM_ELECTION",
    "RUN_ELECTION",
    "GEN_ELECTION",
    "GEN_ELECTION_PERCENT",
    "OTHER_POL_CMTE_CONTRIB",
    "POL_PTY_CONTRIB",
    "CVG_END_DT",
    "INDIV_REFUNDS",
    "CMTE_REFUNDS",
)

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
    # PAC and party summary (webk): one line per committee, totals of its reports so far.
    "webk": (
        "CMTE_ID",
        "CMTE_NM",
        "CMTE_TP",
        "CMTE_DSGN",
        "CMTE_FILING_FREQ",
        "TTL_RECEIPTS",
        "TRANS_FROM_AFF",
        "INDV_CONTRIB",
        "OTHER_POL_CMTE_CONTRIB",
        "CAND_CONTRIB",
        "CAND_LOANS",
        "TTL_LOANS_RECEIVED",
        "TTL_DISB",
        "TRANF_TO_AFF",
        "INDV_REFUNDS",
        "OTHER_POL_CMTE_REFUNDS",
        "CAND_LOAN_REPAY",
        "LOAN_REPAY",
        "COH_BOP",
        "COH_COP",
        "DEBTS_OWED_BY",
        "NONFED_TRANS_RECEIVED",
        "CONTRIB_TO_OTHER_CMTE",
        "IND_EXP",
        "PTY_COORD_EXP",
        "NONFED_SHARE_EXP",
        "CVG_END_DT",
    ),
    # All candidates summary (weball); House/Senate current campaigns (webl) has the same layout.
    "weball": _CANDIDATE_SUMMARY,
    "webl": _CANDIDATE_SUMMARY,
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
