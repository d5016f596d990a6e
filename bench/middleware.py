"""Server-side helpers of the benchmark (used by attache_crm.settings.bench only)."""

from django.db import connections


class QueryCountMiddleware:
    """Adds X-Bench-Queries: the number of SQL statements the request made (all middleware included)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = [0]

        def counter(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        connection = connections["default"]
        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Bench-Queries"] = str(count[0])
        return response
