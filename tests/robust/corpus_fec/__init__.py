"""The broken-FEC-input corpus (see make_corpus.py)."""
