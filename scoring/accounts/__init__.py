"""Accounts that Nội vụ manages: listing, creating (one or from a file), disabling,
and the passwords new accounts must replace (one-time password, one-time link,
reset by e-mail).

Nội vụ manages the "unit" accounts of the units in its jurisdiction; an administrator
manages every account and alone creates Nội vụ accounts. Reads are in `selectors`,
writes in `services`, files in `imports`.
"""
