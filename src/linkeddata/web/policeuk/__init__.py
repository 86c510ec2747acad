"""A police.uk-compatible JSON API under /api/, over the published street-level crime, outcomes
and stop and search.

    index.py        the SQLite file of a release: crimes, their points (R*Tree), outcomes, months
    stop_index.py   ... and its searches, their points in an R*Tree of their own
    partitions.py   each published graph's rows, kept per partition
    geometry.py     one-mile radius, polygons and their checks
    params.py       the query parameters police.uk defines, checked; errors name the parameter
    lookup.py       crimes and outcomes near a point, in a polygon, at a location
    stop_lookup.py  searches near a point, in a polygon, at a location, of a force
    shapes.py       police.uk's JSON objects, each with the URI of its linked data resource
    routes.py       the /api/... methods; stop_routes.py the /api/stops-... methods
"""
