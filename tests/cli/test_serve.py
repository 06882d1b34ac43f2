"""`peoplebase serve`: getting the database ready, the start banner, static files, the server."""

from __future__ import annotations

import functools
from typing import Any

import pytest

from peoplebase.contacts.models import Contact
from peoplebase.core.management.commands import serve
from peoplebase.core.management.commands._base import mask_url_password
from peoplebase.demo.workspace import load_demo
from peoplebase.users.models import Role, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_env(monkeypatch: Any) -> None:
    monkeypatch.setenv("PEOPLEBASE_ADMIN_EMAIL", "owner@example.com")
    monkeypatch.delenv("PEOPLEBASE_ADMIN_PASSWORD", raising=False)


def test_first_start_creates_an_admin_and_says_how_to_sign_in(admin_env: None) -> None:
    preparation = serve.prepare()

    user = User.objects.get()
    assert user.email == "owner@example.com"
    assert user.role == Role.ADMIN
    assert user.check_password(preparation.admin_password)
    text = "\n".join(serve.banner(preparation, url="http://127.0.0.1:8000", worker=True))
    assert "http://127.0.0.1:8000/login/" in text
    assert "owner@example.com" in text
    assert text.count(preparation.admin_password) == 1
    assert "running in this process" in text


def test_default_admin_email_is_admin_at_localhost(monkeypatch: Any) -> None:
    monkeypatch.delenv("PEOPLEBASE_ADMIN_EMAIL", raising=False)

    serve.prepare()

    assert User.objects.get().email == "admin@localhost"


def test_admin_password_from_the_environment_is_used_but_never_printed(
    admin_env: None, monkeypatch: Any
) -> None:
    monkeypatch.setenv("PEOPLEBASE_ADMIN_PASSWORD", "a long admin pass phrase")

    preparation = serve.prepare()

    assert User.objects.get().check_password("a long admin pass phrase")
    text = "\n".join(serve.banner(preparation, url="http://x:1", worker=False))
    assert "a long admin pass phrase" not in text
    assert "PEOPLEBASE_ADMIN_PASSWORD" in text
    assert "--no-worker" in text


def test_later_starts_create_no_admin_and_print_no_password(admin_env: None, alice: User) -> None:
    preparation = serve.prepare()

    assert not preparation.created_admin
    assert list(User.objects.all()) == [alice]
    text = "\n".join(serve.banner(preparation, url="http://127.0.0.1:8000", worker=True))
    assert "Password" not in text
    assert "Data directory" in text
    assert "Database" in text


def test_demo_flag_loads_the_demo_only_into_an_empty_database(
    admin_env: None, monkeypatch: Any
) -> None:
    monkeypatch.setattr(serve, "load_demo", functools.partial(load_demo, contacts=10))

    first = serve.prepare(load_demo_data=True)
    count = Contact.objects.count()
    again = serve.prepare(load_demo_data=True)

    assert first.demo is not None
    assert count >= 10
    assert again.demo is None
    assert Contact.objects.count() == count
    admin = User.objects.get(email="owner@example.com")
    assert User.objects.filter(role=Role.ADMIN).get() == admin  # no extra demo admin


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("127.0.0.1", "http://127.0.0.1:8000"),
        ("0.0.0.0", "http://127.0.0.1:8000"),  # noqa: S104
        ("::", "http://[::1]:8000"),
        ("crm.internal", "http://crm.internal:8000"),
    ],
)
def test_site_url_is_something_a_browser_can_open(host: str, url: str) -> None:
    assert serve.site_url(host, 8000) == url


def test_database_passwords_are_masked() -> None:
    masked = mask_url_password("postgres://crm:s3cret@db.internal:5433/peoplebase")

    assert masked == "postgres://crm:****@db.internal:5433/peoplebase"
    assert mask_url_password("postgres://db.internal/peoplebase") == (
        "postgres://db.internal/peoplebase"
    )


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/static/peoplebase/app.css", "text/css"),
        ("/static/django_htmx/htmx-2.min.js", "text/javascript"),
    ],
)
def test_static_files_are_served_with_debug_off(
    client: Any, settings: Any, path: str, content_type: str
) -> None:
    settings.DEBUG = False

    response = client.get(path)

    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)


class FakeServer:
    """Stands in for waitress: returns from run() as if Ctrl+C was pressed."""

    def __init__(self) -> None:
        self.closed = False

    def run(self) -> None:
        raise KeyboardInterrupt

    def close(self) -> None:
        self.closed = True


class FakeWorker:
    """Records being started and stopped instead of polling the database."""

    instances: list[FakeWorker] = []

    def __init__(self) -> None:
        self.started = self.stopped = False
        FakeWorker.instances.append(self)

    def start(self) -> FakeWorker:
        self.started = True
        return self

    def stop(self) -> None:
        self.stopped = True


def test_serve_stops_cleanly_on_ctrl_c(run_cli: Any, admin_env: None, monkeypatch: Any) -> None:
    import waitress

    server = FakeServer()
    options: dict[str, Any] = {}
    monkeypatch.setattr(waitress, "create_server", lambda app, **kw: options.update(kw) or server)
    monkeypatch.setattr(serve, "WorkerThread", FakeWorker)
    monkeypatch.setattr(serve.signal, "signal", lambda *args: None)
    FakeWorker.instances.clear()

    result = run_cli("serve", "--port", "8123", "--threads", "3")

    assert result.code == 0, result.err
    assert options == {"host": "127.0.0.1", "port": 8123, "threads": 3, "ident": "Peoplebase"}
    assert "Serving on http://127.0.0.1:8123/" in result.out
    assert result.out.rstrip().endswith("Stopped.")
    assert server.closed
    (worker,) = FakeWorker.instances
    assert worker.started and worker.stopped


def test_no_worker_flag_starts_no_worker(run_cli: Any, admin_env: None, monkeypatch: Any) -> None:
    import waitress

    monkeypatch.setattr(waitress, "create_server", lambda app, **kw: FakeServer())
    monkeypatch.setattr(serve, "WorkerThread", FakeWorker)
    monkeypatch.setattr(serve.signal, "signal", lambda *args: None)
    FakeWorker.instances.clear()

    result = run_cli("serve", "--no-worker")

    assert result.code == 0, result.err
    assert FakeWorker.instances == []


def test_busy_port_is_one_clear_line(run_cli: Any, admin_env: None, monkeypatch: Any) -> None:
    import waitress

    def refuse(app: Any, **kwargs: Any) -> None:
        raise OSError(98, "Address already in use")

    monkeypatch.setattr(waitress, "create_server", refuse)

    result = run_cli("serve", "--port", "8124")

    assert result.code == 1
    assert result.err.strip() == (
        "peoplebase serve: cannot listen on 127.0.0.1:8124: Address already in use"
    )
