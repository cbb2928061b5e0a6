"""Pydantic v2 models generated from Tortoise models (extra ``aldabra[pydantic]``).

    Tournament_Pydantic = pydantic_model_creator(Tournament)
    data = await Tournament_Pydantic.from_tortoise_orm(tournament)
    TournamentList = pydantic_queryset_creator(Tournament)
    listing = await TournamentList.from_queryset(Tournament.all())
"""
try:
    import pydantic  # noqa: F401
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "tortoise.contrib.pydantic needs pydantic v2: pip install 'aldabra[pydantic]'"
    ) from exc

from tortoise.contrib.pydantic.base import PydanticListModel, PydanticModel
from tortoise.contrib.pydantic.creator import pydantic_model_creator, pydantic_queryset_creator
from tortoise.contrib.pydantic.options import PydanticMeta

__all__ = [
    "PydanticListModel",
    "PydanticMeta",
    "PydanticModel",
    "pydantic_model_creator",
    "pydantic_queryset_creator",
]
