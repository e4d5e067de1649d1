"""One module per metadata source: ``arxiv``, ``dblp``, ``usenix``, ``github``, ``webworks`` (with
``web``: a page's embedded metadata, ``oembed``: YouTube, ``openlibrary``: books).

Each implements ``base.Source`` and turns API answers into ``Candidate``s; none decides
whether a candidate is the list item's work's own (that is ``match``, through
``Source.rejection``) or how fields combine (that is ``merge``). ``registry`` lists them.
"""
