"""``tortoise``: Tortoise 1.x's migration commands over the migration engine.

Errors are one line on stderr and exit code 1; nothing is applied when the plan cannot
be made (unknown app or migration, a dependency cycle, two heads)."""
from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any, Callable

from tortoise import Tortoise, connections
from tortoise.cli.utils import CLIError, as_dict, config_from_file, get_tortoise_config, infer_migrations_module, normalize_apps_config, tortoise_orm_config
from tortoise.exceptions import BaseORMException
from tortoise.migrations.autodetector import RenameRequired
from tortoise.migrations.graph import MigrationKey
from tortoise.migrations.inspect import inspect_tables
from tortoise.migrations.native_executor import NativeExecutor, migration_steps
from tortoise.migrations.native_loader import NativeLoader, migrations_path
from tortoise.migrations.native_maker import MigrationAutodetector
from tortoise.migrations.native_recorder import native_recorder
from tortoise.sql.schema_editor import editor_for


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tortoise", description="Tortoise ORM migrations (Aldabra)")
    parser.add_argument("-c", "--config", default=None, help="module.TORTOISE_ORM (default: $TORTOISE_ORM or [tool.tortoise])")
    parser.add_argument("--config-file", default=None, help="a .json, .yml or .yaml file holding the Tortoise configuration")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    init = sub.add_parser("init", help="create the migrations package of each app")
    init.add_argument("app_labels", nargs="*")
    make = sub.add_parser("makemigrations", help="write migrations for the models' changes")
    make.add_argument("app_labels", nargs="*")
    make.add_argument("--empty", action="store_true", help="an empty migration to fill by hand")
    make.add_argument("-n", "--name", default=None)
    make.add_argument("--check", action="store_true", help="write nothing; exit 1 when a migration is needed")
    make.add_argument("--rename", action="append", default=[], metavar="Model.old:new", help="a field (Model.old:new) or model (Old:New) rename")
    make.add_argument("--no-input", action="store_true", help="never ask (renames must be given)")
    for command in ("migrate", "upgrade"):
        migrate = sub.add_parser(command, help="apply migrations" + (" (alias of migrate)" if command == "upgrade" else ""))
        migrate.add_argument("app_label", nargs="?")
        migrate.add_argument("migration", nargs="?")
        migrate.add_argument("--fake", action="store_true", help="record without running")
    downgrade = sub.add_parser("downgrade", help="unapply an app's migrations (after MIGRATION, or all)")
    downgrade.add_argument("app_label", nargs="?")
    downgrade.add_argument("migration", nargs="?")
    downgrade.add_argument("--fake", action="store_true")
    sub.add_parser("history", help="the applied migrations")
    sub.add_parser("heads", help="the latest migration(s) of each app")
    sql = sub.add_parser("sqlmigrate", help="print a migration's SQL without running it")
    sql.add_argument("app_label")
    sql.add_argument("migration")
    sql.add_argument("--backward", action="store_true")
    sub.add_parser("shell", help="an async Python shell with the ORM initialised")
    inspect = sub.add_parser("inspectdb", help="print models for existing tables")
    inspect.add_argument("tables", nargs="*")
    inspect.add_argument("--app", default=None, help="the app whose connection to read (default: the first)")
    return parser


def _target(app_label: str | None, migration: str | None, default: str) -> str | None:
    if app_label and "." in app_label and not migration:
        return app_label
    if app_label:
        return f"{app_label}.{migration or default}"
    return None


def _modules(config: dict[str, Any]) -> dict[str, str | None]:
    return {label: app.get("migrations") for label, app in config["apps"].items()}


def _client(config: dict[str, Any], app: str) -> Any:
    return connections.get(config["apps"][app].get("default_connection", "default"))


def _editor(client: Any) -> Any:
    return editor_for(client.dialect, getattr(client, "table_options", ""))


# --- the plan ---------------------------------------------------------------------------------
async def _applied(config: dict[str, Any], apps: list[str]) -> set[MigrationKey]:
    done: set[MigrationKey] = set()
    for app in apps:
        recorder = native_recorder(_client(config, app))
        if await recorder.exists():
            done |= {MigrationKey(app, name) for name in await recorder.applied(app)}
    return done


def _plan(loader: NativeLoader, applied: set[MigrationKey], app_labels: list[str], target: str | None, direction: str) -> list[tuple[MigrationKey, bool]]:
    """(migration, backward) pairs, in order."""
    graph = loader.graph
    if target is None or target.endswith(".__latest__"):
        labels = [target.rsplit(".", 1)[0]] if target else app_labels
        wanted: list[MigrationKey] = []
        for app in labels:
            head = loader.head(app)
            wanted += [k for k in graph.forwards_plan(head) if k not in wanted] if head else []
        return [(k, False) for k in wanted if k not in applied]
    app, name = target.split(".", 1)
    if name == "__first__":
        loader.check_app(app)
        keys: list[MigrationKey] = []
        for root in graph.roots(app):
            keys += [k for k in graph.backwards_plan(root) if k not in keys]
        return [(k, True) for k in keys if k in applied]
    key = loader.resolve(app, name)
    if direction == "forward" or (direction == "both" and key not in applied):
        return [(k, False) for k in graph.forwards_plan(key) if k not in applied]
    return [(k, True) for k in graph.backwards_plan(key) if k != key and k in applied]


async def migrate_api(
    config: dict[str, Any], app_labels: list[str] | None = None, target: str | None = None,
    direction: str = "both", fake: bool = False, echo: Callable[[str], None] = print,
) -> list[MigrationKey]:
    config = as_dict(config)
    modules = _modules(config)
    loader = NativeLoader(modules)
    labels = app_labels or [a for a, m in modules.items() if m]
    await Tortoise.init(config=config)
    try:
        plan = _plan(loader, await _applied(config, list(modules)), labels, target, direction)
        executors = {app: NativeExecutor(_client(config, app), native_recorder(_client(config, app)), loader, app, _editor(_client(config, app)), echo) for app in modules}
        for key, backward in plan:  # every migration renders before anything runs
            migration_steps(executors[key.app_label].editor, loader, key, backward)
        if not plan:
            echo("No migrations to apply.")
        for key, backward in plan:
            echo(f"{'Unapplying' if backward else 'Applying'} {key}{' (fake)' if fake else ''}...")
            await executors[key.app_label].apply(key, backward, fake)
        return [k for k, _ in plan]
    finally:
        await Tortoise.close_connections()


# --- commands -----------------------------------------------------------------------------------
def cmd_init(config: dict[str, Any], args: argparse.Namespace) -> None:
    for app in args.app_labels or list(config["apps"]):
        _check_label(config, app)
        module = config["apps"][app].get("migrations") or infer_migrations_module(config["apps"][app].get("models"))
        if not module:
            raise CLIError(f"cannot infer the migrations module of app {app!r}; set \"migrations\" in its config")
        folder = migrations_path(module)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "__init__.py").touch()
        print(f"Created migrations package {module} at {folder}")


def _check_label(config: dict[str, Any], app: str) -> None:
    if app not in config["apps"]:
        raise CLIError(f"unknown app label {app!r}; the configured apps are: {', '.join(config['apps'])}")


async def cmd_makemigrations(config: dict[str, Any], args: argparse.Namespace) -> int:
    if args.empty and not args.app_labels:
        raise CLIError("--empty requires at least one APP_LABEL")
    apps = config["apps"]
    for app in args.app_labels:
        _check_label(config, app)
    for app in args.app_labels or list(apps):
        apps[app].setdefault("migrations", infer_migrations_module(apps[app].get("models")))
    renames = dict(item.split(":", 1) for item in args.rename)
    ask = None if args.no_input or not sys.stdin.isatty() else _ask
    await Tortoise.init(config=config)
    try:
        detector = MigrationAutodetector(
            Tortoise.apps, apps, app_labels=args.app_labels or None, empty=args.empty, name=args.name, renames=renames, ask=ask
        )
        pending = await detector.changes()
    finally:
        await Tortoise.close_connections()
    if not pending:
        print("No changes detected")
        return 0
    if args.check:
        for writer in pending:
            print(f"Changes detected in app {writer.app_label!r}: {', '.join(op.describe() for op in writer.operations)}")
        return 1
    for writer in pending:
        path = writer.write()
        print(f"Created {writer.app_label}.{writer.name} at {path}")
        for operation in writer.operations:
            print(f"  - {operation.describe()}")
    return 0


async def cmd_history(config: dict[str, Any]) -> None:
    await Tortoise.init(config=config)
    try:
        by_connection: dict[str, list[str]] = {}
        for app, spec in config["apps"].items():
            by_connection.setdefault(spec.get("default_connection", "default"), []).append(app)
        for connection, apps in by_connection.items():
            print(f"Connection: {connection}")
            applied = await _applied(config, apps)
            for app in apps:
                print(f"{app}:")
                names = [k.name for k in applied if k.app_label == app]
                for name in sorted(names) or []:
                    print(f"  {app} {name}")
                if not names:
                    print("  (no migrations applied)")
    finally:
        await Tortoise.close_connections()


def cmd_heads(config: dict[str, Any]) -> None:
    loader = NativeLoader(_modules(config))
    by_connection: dict[str, list[str]] = {}
    for app, spec in config["apps"].items():
        by_connection.setdefault(spec.get("default_connection", "default"), []).append(app)
    for connection, apps in by_connection.items():
        print(f"Connection: {connection}")
        for app in apps:
            print(f"{app}:")
            for head in loader.graph.heads(app) or []:
                print(f"  {head}")
            if not loader.graph.heads(app):
                print("  (no migrations)")


async def cmd_sqlmigrate(config: dict[str, Any], args: argparse.Namespace) -> None:
    loader = NativeLoader(_modules(config))
    key = loader.resolve(args.app_label, args.migration)
    await Tortoise.init(config=config)
    try:
        steps = migration_steps(_editor(_client(config, key.app_label)), loader, key, args.backward)
    finally:
        await Tortoise.close_connections()
    for kind, value in steps:
        if kind == "sql":
            for statement in value:
                print(statement.rstrip().rstrip(";") + ";")
        elif kind == "bound":
            print(f"{value[0].rstrip().rstrip(';')};  -- params: {value[1]!r}")
        else:
            print(f"-- RunPython: {getattr(value, '__name__', value)} (Python code, no SQL)")


async def cmd_inspectdb(config: dict[str, Any], args: argparse.Namespace) -> None:
    app = args.app or next(iter(config["apps"]))
    _check_label(config, app)
    await Tortoise.init(config=config)
    try:
        print(await inspect_tables(_client(config, app), args.tables))
    finally:
        await Tortoise.close_connections()


async def cmd_shell(config: dict[str, Any]) -> None:
    from tortoise.cli.shell import run_shell

    await Tortoise.init(config=config)
    try:
        names = {"Tortoise": Tortoise, "connections": connections}
        for models in Tortoise.apps.values():
            names.update(models)
        await run_shell(names)
    finally:
        await Tortoise.close_connections()


def _ask(question: str) -> bool:
    return input(f"{question} [y/N]: ").strip().lower() in ("y", "yes")


def load_config(args: argparse.Namespace) -> dict[str, Any]:
    if "." not in sys.path:  # the project's modules, as `python -m` would find them
        sys.path.insert(0, ".")
    if args.config_file:
        config = config_from_file(args.config_file)
    else:
        dotted = args.config or tortoise_orm_config()
        if not dotted:
            raise CLIError(
                "no configuration: pass -c module.TORTOISE_ORM or --config-file FILE, set TORTOISE_ORM, "
                "or add tortoise_orm to [tool.tortoise] in pyproject.toml"
            )
        config = as_dict(get_tortoise_config(dotted))
    config["apps"] = normalize_apps_config(config["apps"])
    return config


async def run_cli_async(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        config = load_config(args)
        command = args.command
        if command == "init":
            cmd_init(config, args)
        elif command == "makemigrations":
            return await cmd_makemigrations(config, args)
        elif command in ("migrate", "upgrade"):
            target = _target(args.app_label, args.migration, "__latest__")
            await migrate_api(config=config, app_labels=None, target=target, direction="forward" if command == "upgrade" else "both", fake=args.fake)
        elif command == "downgrade":
            if not args.app_label:
                raise CLIError("downgrade: app_label is required")
            target = _target(args.app_label, args.migration, "__first__")
            await migrate_api(config=config, app_labels=None, target=target, direction="backward", fake=args.fake)
        elif command == "history":
            await cmd_history(config)
        elif command == "heads":
            cmd_heads(config)
        elif command == "sqlmigrate":
            await cmd_sqlmigrate(config, args)
        elif command == "inspectdb":
            await cmd_inspectdb(config, args)
        elif command == "shell":
            await cmd_shell(config)
    except RenameRequired as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    except (CLIError, BaseORMException) as exc:
        print(f"Error: {' '.join(str(exc).split())}", file=sys.stderr)
        return 1
    return 0


def main() -> None:
    sys.exit(asyncio.run(run_cli_async()))
