"""The command line's commands, one module per family; each has ``add_parsers(sub)``.

Adding a command is a module here plus one line in :data:`MODULES`.
"""

from __future__ import annotations

from cx.commands import benchmarks, cells, data, dealers, export, nps, revenue, text

MODULES = (data, nps, export, revenue, text, benchmarks, dealers, cells)
