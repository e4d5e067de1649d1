"""One module per ``sysml-bib`` command.

Each module has ``add_arguments(parser)`` and ``run(args) -> exit status``; ``cli.py``
imports only the module of the command being run, so one command's imports never slow
another's start-up. What several commands share is in ``common.py``.
"""
