"""One JSON error shape for the whole API: `{"ok": false, "errors": {field: [messages]}}`
for bad input, `{"ok": false, "error": "..."}` for everything else."""

from django.db import DatabaseError, InterfaceError, OperationalError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler


def json_exception_handler(exc, context):
    if isinstance(exc, (OperationalError, InterfaceError)):
        # The database is unreachable: tell the client to come back rather than hang or 500.
        return Response(
            {"ok": False, "error": "database_unavailable", "detail": "Storage is temporarily unavailable."},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": "5"},
        )
    if isinstance(exc, DatabaseError):
        return None
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = {"ok": False, "errors": detail}
    elif isinstance(exc, exceptions.ParseError):
        response.data = {"ok": False, "errors": {"body": [str(exc.detail)]}}
    else:
        response.data = {"ok": False, "error": _code(exc), "detail": str(getattr(exc, "detail", exc))}
    return response


def _code(exc):
    detail = getattr(exc, "detail", None)
    return getattr(detail, "code", None) or getattr(exc, "default_code", "error")
