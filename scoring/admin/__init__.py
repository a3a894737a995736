"""Admin for the clerks who keep units, frameworks, assessments and scores.

Numbers a person reads go through `cchc.formatting`, and points typed into
forms are read by its `parse_points` ("9,13" as well as "9.13"). A framework in
use is shown read-only with the reason. Criteria edits end with
`framework_rebuild_tree`, whose complaints are shown as warnings: a tree is
often half-built while a clerk types it in.

Each topic has its module; importing them here registers every admin, since
Django's autodiscovery imports `scoring.admin`.
"""

from scoring.admin import editions, files, frameworks, scores, units  # noqa: F401
