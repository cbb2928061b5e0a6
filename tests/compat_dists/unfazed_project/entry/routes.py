from unfazed.route import include, path

patterns = [
    path("/api", routes=include("myapp.users.routes")),
]
