"""One module per metadata source: ``arxiv``, ``dblp``, ``usenix`` (papers); ``web`` (a
page's embedded metadata), ``oembed`` (YouTube), ``openlibrary`` (books).

Each turns API answers into ``Candidate``s and raises ``http.FetchError`` saying why when
nothing usable came; none decides whether a candidate is the list item's work (that is
``match`` / ``resolve_web.rejection``) or how fields combine (``merge`` / ``resolve_web.merge``).
"""
