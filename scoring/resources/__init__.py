"""django-import-export resources for criteria, units and scores.

The admin's import and the import commands (through `scoring.importing`) use the
same resources. Checks that need the whole file (duplicates, parents, cycles,
sums, which framework a unit is scored against) run in `before_import`; row
checks run as each row is imported. Score files, which run to a million rows,
are read, checked and written a chunk at a time on the commands' path
(`score_files`) by the same checks. Every message names the row as a
spreadsheet shows it (the header is row 1) and the column, in Vietnamese.
One resource instance serves one import.
"""

from scoring.resources.base import ImportResource
from scoring.resources.criteria import CriterionResource
from scoring.resources.scores import ScoreResource
from scoring.resources.units import UnitResource
from scoring.resources.widgets import cell_text, parse_level

__all__ = [
    "CriterionResource",
    "ImportResource",
    "ScoreResource",
    "UnitResource",
    "cell_text",
    "parse_level",
]
