"""`manages_accounts`: whether the nav shows "Tài khoản" (Nội vụ and administrators)."""

from django import template

from scoring.accounts.selectors import manages_accounts

register = template.Library()
register.filter("manages_accounts", manages_accounts)
