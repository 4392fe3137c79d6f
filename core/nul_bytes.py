"""No NUL byte in an address reaches a view: a path holding one is a 404, a query string a 400.

PostgreSQL refuses a NUL (0x00) character in text ("A string literal cannot contain NUL"), so
any value that reaches a query unchecked (an admin changelist filter, its search box or date
hierarchy, a slug or public id from the path) would end in a 500. No page of this site has a NUL
in its address and no filter accepts one, so such requests are answered here, before any view,
cache or database is asked. Bodies of POSTs are left to their forms, which say which field is wrong.
"""

from django.http import HttpResponseBadRequest, HttpResponseNotFound

NUL = "\x00"
PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>'
    "<body><h1>{title}</h1><p>{message}</p></body></html>"
)


def has_nul_in_query(request):
    return any(NUL in key or any(NUL in value for value in values) for key, values in request.GET.lists())


def answer(response_class, title, message):
    response = response_class(PAGE.format(title=title, message=message), content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


class RefuseNulBytesMiddleware:
    """Place it before anything that reads the database or the cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path:
            return answer(
                HttpResponseNotFound,
                "Page not found",
                "No page of this site has a NUL character (%00) in its address.",
            )
        if has_nul_in_query(request):
            return answer(
                HttpResponseBadRequest,
                "Bad request",
                "The address holds a NUL character (%00), which no filter or search of this site accepts. "
                "Remove it and try again.",
            )
        return self.get_response(request)
