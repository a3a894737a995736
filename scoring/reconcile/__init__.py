"""Reconciling a published results table: with itself, and with what the system computed.

`reading` recognises the table's columns and numbers, `checks` holds the pure checks
(its fields add up to its total, its ranks follow its totals, its index is total ÷
max, a detailed table's deductions are max − achieved and add up), `against` compares
it with the engine's figures. `reconcile_table` is what the command and the page run;
`remediation.figures` runs the same checks on a plan's typed text.
"""

from scoring.reconcile.differences import Difference, Findings
from scoring.reconcile.reading import read_table
from scoring.reconcile.report import Reconciliation, reconcile_table

__all__ = ["Difference", "Findings", "Reconciliation", "read_table", "reconcile_table"]
