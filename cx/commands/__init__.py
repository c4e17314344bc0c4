"""The command line's commands, one module per family; each has ``add_parsers(sub)``.

Adding a command is a module here plus one line in :data:`cx.cli.MODULES`.
"""
