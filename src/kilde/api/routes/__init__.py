"""The API's routers, one per resource; :func:`kilde.api.create_app` includes them under /api."""
