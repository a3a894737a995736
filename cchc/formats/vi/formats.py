"""Vietnamese date formats, added to Django's own for the `vi` locale.

Django's `vi` locale has no input formats, so forms fell back to the global
defaults, which read "04/05/2026" as the 5th of April and refuse "31/12/2026".
Vietnamese write day first: dd/mm/yyyy is read first, ISO (what a browser's date
picker posts) still works, and dates print as they are typed.
"""

# The admin's lists and an unformatted {{ date }} use these: as short as typed too.
DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]
