"""The read-only JSON API (Django REST framework): the public site's records, filters and CSV, by machine.

Every list takes the query string of the matching page (the same django-filter FilterSets), and
every queryset starts at the models' `published()` door, so the API shows exactly what the pages
show. The OpenAPI description is served at /api/schema/ and rendered at /api/docs/.
"""
