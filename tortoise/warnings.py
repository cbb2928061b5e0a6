"""Warning categories the ORM emits."""


class TortoiseWarning(UserWarning):
    """Base of the ORM's warnings."""


class TortoiseLoopSwitchWarning(TortoiseWarning, RuntimeWarning):
    """Connections opened on one event loop are being used from another one."""


__all__ = ["TortoiseWarning", "TortoiseLoopSwitchWarning"]
