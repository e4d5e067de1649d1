"""One module per metadata source: ``arxiv``, ``dblp``, ``usenix``.

Each turns API answers into ``Candidate``s; none decides whether a candidate is the
list item's paper (that is ``match``) or how fields combine (that is ``merge``).
"""
