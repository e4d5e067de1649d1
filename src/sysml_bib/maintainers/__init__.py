"""Tools for the people who run a list: ``lint`` its entries, ``add`` one from a URL,
``diff`` what a change does to the bibliography.

Each module is pure where it can be (text and parse results in, findings/text out);
the command modules in ``commands/`` do the I/O.
"""
