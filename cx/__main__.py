"""``python -m cx``: the cxbench command line."""

import sys

from cx.cli import main

sys.exit(main())
