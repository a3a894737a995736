"""`user|home_affairs`: whether the navigation shows Nội vụ's pages."""

from django import template

from scoring.access import is_home_affairs

register = template.Library()
register.filter("home_affairs", is_home_affairs)
