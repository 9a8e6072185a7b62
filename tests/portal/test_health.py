import logging

import pytest


@pytest.mark.django_db
def test_healthz_answers_ok_when_database_and_broker_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.fixture
def broker_down():
    from portal.celery import app

    previous = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    yield "127.0.0.1:1"
    app.conf.broker_url = previous


@pytest.mark.django_db
def test_healthz_answers_503_when_the_broker_is_down(client, broker_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}


@pytest.mark.django_db
def test_healthz_tells_the_logs_why_and_the_public_nothing(client, broker_down, caplog):
    with caplog.at_level(logging.ERROR, logger="portal.views"):
        response = client.get("/healthz")
    # The public answer names no host, port or error text...
    assert "127.0.0.1" not in response.text
    assert "error" not in response.text.lower()
    # ...the operators' log does.
    [record] = [r for r in caplog.records if r.name == "portal.views"]
    assert "broker" in record.getMessage()
    assert broker_down in record.getMessage()
