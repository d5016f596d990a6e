"""Infrastructure of the REST API (/api/v1/): authentication, errors, pagination, permissions,
concurrency, shared serializer fields and the OpenAPI schema hooks. The endpoints themselves
live in each app's `api.py`."""
