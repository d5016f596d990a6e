"""The two refusals of the access policy, in a module of their own that loads no model: the
admin site, made before the models load, raises them too. `tenancy.policy` names them as well."""

from django.core.exceptions import PermissionDenied
from django.http import Http404


class NotFound(Http404):
    """The post or record is not the user's (no role there, or hidden): answered as an absent one."""


class Denied(PermissionDenied):
    """The user may read here but not do this (403); the message says what was refused."""
