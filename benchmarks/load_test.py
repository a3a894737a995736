"""Entry point of the load test, `make loadtest`; the code is the package benchmarks/load/."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.load.run import main

if __name__ == "__main__":
    sys.exit(main())
