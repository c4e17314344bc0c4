"""``spark-submit`` entry point: the same build as ``python -m cx cells --engine spark``.

    spark-submit --master yarn --deploy-mode client deploy/spark/cells.py \\
        --input s3://lake/cx --output s3://serve/cx

Run from a checkout with ``requirements.txt`` installed on the driver (client mode): only the
driver runs Python; executors run Spark SQL and need nothing else. The master comes from
``spark-submit`` (or ``--master`` after the script name).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from cx.cli import main

if __name__ == "__main__":
    sys.exit(main(["cells", "--engine", "spark", *sys.argv[1:]]))
