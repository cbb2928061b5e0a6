"""``[tool.aerich]`` in pyproject.toml: written next to other settings, replaced, read back."""
from __future__ import annotations

import pytest

from aerich.config import read_settings, write_settings
from tortoise.exceptions import ConfigurationError


def test_section_is_added_replaced_and_read(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nname = "blog"\n\n[tool.aerich]\ntortoise_orm = "old.CONFIG"\nlocation = "./old"\n\n[tool.other]\nx = "1"\n')
    write_settings(str(path), "app.config.TORTOISE_ORM", "./migrations", "./.")
    text = path.read_text()
    assert text.count("[tool.aerich]") == 1 and "old.CONFIG" not in text
    assert '[project]\nname = "blog"' in text and '[tool.other]\nx = "1"' in text
    settings = read_settings(str(path))
    assert settings == {"tortoise_orm": "app.config.TORTOISE_ORM", "location": "./migrations", "src_folder": "./."}


def test_file_created_when_missing(tmp_path):
    path = tmp_path / "pyproject.toml"
    write_settings(str(path), "settings.TORTOISE_ORM", "./migrations", "./.")
    assert path.read_text().startswith('[tool.aerich]\ntortoise_orm = "settings.TORTOISE_ORM"')


def test_missing_section_is_an_error(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nname = "x"\n')
    with pytest.raises(ConfigurationError, match="aerich init"):
        read_settings(str(path))
