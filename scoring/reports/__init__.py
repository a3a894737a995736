"""Documents about a unit's results: what it lost and why, worded as the seeds word it.

The plan (remediation) and the analysis report both say where points were lost; they
read the lines from here, so the two documents say it alike.
"""
