"""Entry point of the national benchmark, `make benchmark`; the code is benchmarks/national/."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.national.run import main

if __name__ == "__main__":
    sys.exit(main())
