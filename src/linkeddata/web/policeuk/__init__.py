"""A police.uk-compatible JSON API under /api/, over the published street-level crime and outcomes.

    index.py      the SQLite file of a release: crimes, their points (R*Tree), outcomes, months
    geometry.py   one-mile radius, polygons and their checks
    params.py     the query parameters police.uk defines, checked; errors name the parameter
    shapes.py     police.uk's JSON objects, each with the URI of its linked data resource
    routes.py     the /api/... methods
"""
