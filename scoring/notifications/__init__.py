"""Telling people what happened and what is due: the bell, e-mail and reminders.

`services.notify` writes the bell's rows and e-mails them once the transaction commits;
`events` says who hears of each workflow step, `reminders` what `send_reminders` sends,
`recipients` who "the unit" and "its Nội vụ" are.
"""
