"""The ``aerich`` console script: Aerich's commands and options over ``Command``.

Messages and exit codes follow Aerich's; every error is one line on stderr and a
non-zero exit code.
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

from aerich import Command
from aerich.config import load_tortoise_config, read_settings, write_settings
from tortoise.exceptions import BaseORMException
from tortoise.migrations.autodetector import RenameRequired


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="aerich", description="Aerich-compatible migrations for Aldabra")
    parser.add_argument("-V", "--version", action="version", version="aerich (aldabra) 0.10.1")
    parser.add_argument("-c", "--config", default="pyproject.toml", help="config file (default: pyproject.toml)")
    parser.add_argument("--app", default=None, help="the Tortoise app (default: the first in the config)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    init = sub.add_parser("init", help="write [tool.aerich] to the config file and create the migrations folder")
    init.add_argument("-t", "--tortoise-orm", "--tortoise_orm", dest="tortoise_orm", required=True, help="module.TORTOISE_ORM")
    init.add_argument("--location", default="./migrations")
    init.add_argument("-s", "--src-folder", "--src_folder", dest="src_folder", default="./.")

    init_db = sub.add_parser("init-db", help="create the app's first migration and tables")
    init_db.add_argument("--safe", dest="safe", action="store_true", default=True)
    init_db.add_argument("--no-safe", dest="safe", action="store_false")

    migrate = sub.add_parser("migrate", help="write a migration for the models' changes")
    migrate.add_argument("--name", default="update")
    migrate.add_argument("--empty", action="store_true", help="an empty migration, to fill by hand")
    migrate.add_argument("--no-input", action="store_true", help="never ask (renames must be given)")
    migrate.add_argument("--offline", action="store_true", help="accepted for Aerich; migrate never needs the database")
    migrate.add_argument("--rename", action="append", default=[], metavar="Model.old:new", help="a column (Model.old:new) or model (Old:New) rename; repeatable")
    migrate.add_argument("--no-rename", action="store_true", help="removed+added columns are dropped and added")
    migrate.add_argument("--check", action="store_true", help="only check: exit 1 when a migration is needed")

    upgrade = sub.add_parser("upgrade", help="apply the migrations not yet applied")
    upgrade.add_argument("--fake", action="store_true", help="record without running")
    upgrade.add_argument(
        "-i", "--in-transaction", "--transaction", dest="in_transaction", nargs="?", const=True, default=True,
        type=_boolean, metavar="BOOLEAN", help="run each migration in a transaction (default: true)",
    )
    upgrade.add_argument("--no-transaction", "--no-in-transaction", dest="in_transaction", action="store_false")

    downgrade = sub.add_parser("downgrade", help="revert the last migration, or back to a version")
    downgrade.add_argument("-v", "--version", type=int, default=-1)
    downgrade.add_argument("-d", "--delete", action="store_true", help="also delete the migration files")
    downgrade.add_argument("--fake", action="store_true")
    downgrade.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")

    sub.add_parser("init-migrations", help="create the app's first migration without touching the database")
    sub.add_parser("history", help="list the migration files")
    sub.add_parser("heads", help="list the migrations not applied yet")
    inspect = sub.add_parser("inspectdb", help="print model classes for existing tables")
    inspect.add_argument("-t", "--table", action="append", default=[])
    reset = sub.add_parser("reset", help="forget the app's migration history and delete its files")
    reset.add_argument("--yes", "-y", action="store_true")
    sub.add_parser("check", help="exit 1 when the models differ from the last migration")
    return parser


def _boolean(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "y", "on"):
        return True
    if lowered in ("0", "false", "no", "n", "off"):
        return False
    raise argparse.ArgumentTypeError(f"expected true or false, got {value!r}")


def _confirm(question: str) -> bool:
    if not sys.stdin.isatty():
        answer = sys.stdin.readline()
        print(f"{question} [y/N]: {answer.strip()}")
    else:
        answer = input(f"{question} [y/N]: ")
    return answer.strip().lower() in ("y", "yes")


def _renames(values: list[str]) -> dict[str, str]:
    result = {}
    for value in values:
        old, sep, new = value.partition(":")
        if not sep or not old or not new:
            raise BaseORMException(f"--rename {value!r}: expected Model.old_field:new_field or OldModel:NewModel")
        result[old] = new
    return result


def _init(args: argparse.Namespace) -> int:
    load_tortoise_config(args.tortoise_orm, args.src_folder)
    write_settings(args.config, args.tortoise_orm, args.location, args.src_folder)
    print(f"Success writing aerich config to {args.config}")
    Path(args.location).mkdir(parents=True, exist_ok=True)
    print(f"Success creating migrations folder {args.location}")
    return 0


async def _run(args: argparse.Namespace) -> int:
    settings = read_settings(args.config)
    config = load_tortoise_config(settings["tortoise_orm"], settings.get("src_folder", "."))
    app = args.app or next(iter(config.get("apps") or {"models": None}))
    location = settings.get("location", "./migrations")
    command = Command(config, app=app, location=location)
    if args.command == "history" and not command.folder.is_dir():
        raise BaseORMException(f"no migrations folder {command.folder}: run `aerich init-db` or `aerich migrate` first")
    async with command:
        return await _dispatch(command, args)


async def _dispatch(command: Command, args: argparse.Namespace) -> int:
    name = args.command
    if name == "init-db":
        await command.init_db(safe=args.safe)
        print(f"Success creating app migration folder {command.folder}")
        print(f'Success generating initial migration file for app "{command.app}"')
        print("Success writing schemas to database")
    elif name == "init-migrations":
        version = await command.init_migrations()
        print(f"Success creating app migration folder {command.folder}")
        print(f'Success generating initial migration file {version} for app "{command.app}"')
    elif name == "migrate" and args.check or name == "check":
        if await command.check():
            print(f"Models of app '{command.app}' differ from the last migration: run `aerich migrate`", file=sys.stderr)
            return 1
        print("No changes detected")
    elif name == "migrate":
        version = await command.migrate(
            args.name, args.empty, no_input=args.no_input, renames=_renames(args.rename), allow_drop=args.no_rename
        )
        print(f"Success creating migration file {version}" if version else "No changes detected")
    elif name == "upgrade":
        done = await command.upgrade(run_in_transaction=args.in_transaction, fake=args.fake)
        for version in done:
            print(f"Success upgrading to {version}" + (" (fake)" if args.fake else ""))
        if not done:
            print("No upgrade items found")
    elif name == "downgrade":
        if not args.yes and not _confirm("Downgrade is dangerous: you might lose your data! Are you sure?"):
            print("Aborted!", file=sys.stderr)
            return 1
        for version in await command.downgrade(args.version, args.delete, args.fake):
            print(f"Success downgrading to {version}")
    elif name == "history":
        versions = await command.history()
        for version in versions:
            print(version)
        if not versions:
            print("No history, try migrate")
    elif name == "heads":
        versions = await command.heads()
        for version in versions:
            print(version)
        if not versions:
            print("No available heads.")
    elif name == "inspectdb":
        print(await command.inspectdb(args.table), end="")
    elif name == "reset":
        if not args.yes and not _confirm(f"Delete the migration history and files of app '{command.app}'?"):
            print("Aborted!", file=sys.stderr)
            return 1
        await command.reset()
        print(f"Success resetting app '{command.app}': run `aerich init-db` to start over")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # the MySQL driver logs server notes ("Table 'aerich' already exists") as warnings
    logging.getLogger("asyncmy").setLevel(logging.ERROR)
    sys.path.insert(0, str(Path.cwd()))
    try:
        if args.command == "init":
            return _init(args)
        return asyncio.run(_run(args))
    except RenameRequired as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    except (BaseORMException, ValueError, OSError) as exc:
        print(f"Error: {' '.join(str(exc).split())}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Aborted!", file=sys.stderr)
        return 1


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
