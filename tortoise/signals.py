"""Model signals: ``@pre_save(Model)``, ``@post_save(Model)``, ``@pre_delete``, ``@post_delete``."""
from __future__ import annotations

from enum import Enum
from typing import Any, Callable


class Signals(Enum):
    pre_save = "pre_save"
    post_save = "post_save"
    pre_delete = "pre_delete"
    post_delete = "post_delete"


_listeners: dict[tuple[Signals, type], list[Callable[..., Any]]] = {}


def _register(signal: Signals, *senders: type) -> Callable[[Callable], Callable]:
    def decorator(func: Callable) -> Callable:
        for sender in senders:
            _listeners.setdefault((signal, sender), []).append(func)
        return func

    return decorator


def pre_save(*senders: type) -> Callable[[Callable], Callable]:
    return _register(Signals.pre_save, *senders)


def post_save(*senders: type) -> Callable[[Callable], Callable]:
    return _register(Signals.post_save, *senders)


def pre_delete(*senders: type) -> Callable[[Callable], Callable]:
    return _register(Signals.pre_delete, *senders)


def post_delete(*senders: type) -> Callable[[Callable], Callable]:
    return _register(Signals.post_delete, *senders)


async def send(signal: Signals, sender: type, *args: Any) -> None:
    """Call the listeners of ``signal`` for ``sender`` (awaiting the async ones)."""
    listeners = _listeners.get((signal, sender))
    if not listeners:
        return
    for listener in listeners:
        result = listener(sender, *args)
        if hasattr(result, "__await__"):
            await result
