"""The benchmark's WSGI entry point: the application, plus /bench/bare served by Django alone.

`/bench/bare` goes through a Django handler with no middleware at all (same process, same URL
configuration, same view as /bench/ok): the floor of the stack, against which the benchmark
reports the cost of our middleware (/bench/ok) and of each page.
"""

from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler

from attache_crm.wsgi import application as app

BARE_PATH = "/bench/bare"


class BareHandler(WSGIHandler):
    """Django's request handling — request, URL resolution, view, response — without any middleware."""

    def load_middleware(self, is_async=False):
        self._view_middleware = []
        self._template_response_middleware = []
        self._exception_middleware = []
        self._middleware_chain = convert_exception_to_response(self._get_response)


bare = BareHandler()


def application(environ, start_response):
    if environ.get("PATH_INFO") == BARE_PATH:
        return bare(environ, start_response)
    return app(environ, start_response)
