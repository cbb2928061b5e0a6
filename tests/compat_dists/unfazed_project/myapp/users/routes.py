from unfazed.route import path

from myapp.users import endpoints

patterns = [
    path("/seed", endpoint=endpoints.seed, methods=["POST"]),
    path("/basic", endpoint=endpoints.basic),
    path("/filters", endpoint=endpoints.filters),
    path("/orders", endpoint=endpoints.orders),
    path("/relations", endpoint=endpoints.relations),
    path("/serialized", endpoint=endpoints.serialized),
    path("/cleanup", endpoint=endpoints.cleanup, methods=["POST"]),
]
