from pathlib import Path

import pytest

from tests.deploy.servers import (
    Deployment,
    fresh_database,
    make_deployment,
    self_signed_certificate,
)


@pytest.fixture(scope="session")
def static_root(tmp_path_factory) -> Path:
    """`collectstatic` once for the run (compressing every file takes a while)."""
    tmp = tmp_path_factory.mktemp("static")
    root = tmp / "staticfiles"
    make_deployment(tmp, f"sqlite:///{tmp / 'unused.sqlite3'}", root).manage(
        "collectstatic", "--noinput"
    )
    return root


@pytest.fixture(scope="session")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    return self_signed_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def deployment(tmp_path, static_root) -> Deployment:
    """A fresh database, migrated, and the environment file of a server using it."""
    with fresh_database(tmp_path) as database:
        deployment = make_deployment(tmp_path, database, static_root)
        deployment.manage("migrate", "--noinput")
        yield deployment
