"""sysml-bib: clean bibliographies from awesome-style research lists.

Pipeline, one module per stage: ``parse`` (markdown -> items), ``normalize`` (items ->
records), ``keys`` (stable citation keys), ``bibtex`` (records <-> .bib text).
"""

__version__ = "0.1.0"
