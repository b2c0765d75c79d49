"""The interactive API page at ``/docs``, served with its own assets (no request leaves the
machine: Swagger UI's files, version 5, which reads OpenAPI 3.1, come from the
``swagger-ui-py`` package; served the self-hosting way FastAPI's documentation describes)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

__all__ = ["ASSETS", "install_docs"]

#: Where the page's scripts, styles and icon are served from.
ASSETS = "/docs/assets"


def install_docs(app: FastAPI) -> None:
    """Serve ``/docs`` (Swagger UI on ``/openapi.json``) and its assets from the package."""
    from importlib.resources import files  # noqa: PLC0415

    static = files("swagger_ui") / "static"
    app.mount(ASSETS, StaticFiles(directory=str(static)), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title}: API",
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon-32x32.png",
        )
