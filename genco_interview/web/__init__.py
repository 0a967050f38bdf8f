"""genco in the browser: `genco serve`'s local web app (Starlette, Jinja2 templates, uvicorn).

A thin front end like cli.py: each page parses its request, calls one use case of app/ on
the process's one `Workbench` (the model stays warm), and renders a template. `server.py` builds
the app and its routes, `guard.py` holds what keeps a local server safe (Host check, CSRF token,
body limit, headers), `evidence.py` places a card's evidence inside the answer as typed.
Importing this package imports Starlette and Jinja2, so only `genco serve` and the tests do.
"""
