"""The sync against a hostile or broken Pinterest, on a real local HTTP server: impossible figures are left out
and said, nulls inside lists are skipped, lists that never end stop, a failed part never overwrites better
figures stored earlier, and a token with an emoji is a sentence."""
from __future__ import annotations

import datetime as dt
import json
import math
import os
from pathlib import Path

import pandas as pd
import pytest

from conftest import run_cli
from fake_pinterest import FakePinterest
from pinviewer.core.api import sync as S
from pinviewer.core.api.client import PinterestClient, RetryPolicy, ServerError
from pinviewer.core.store import Store

FAST = RetryPolicy(base_delay=0.005, max_delay=0.02, server_retries=0)
TESTS = Path(__file__).parent


@pytest.fixture
def server():
    with FakePinterest(n_pins=30, lifetime=120) as fake:
        yield fake


@pytest.fixture
def store(pinviewer_home):
    with Store.open() as opened:
        yield opened


def client_for(server, **kw) -> PinterestClient:
    kw.setdefault("retry", FAST)
    kw.setdefault("timeout", 5.0)
    return PinterestClient(server.token, base_url=server.base_url, **kw)


def raw_json(obj) -> bytes:
    """JSON with Python's NaN/Infinity literals allowed, as a careless server would write it."""
    return json.dumps(obj, allow_nan=True).encode()


def account_rows(store):
    data = store.load(store.profile())
    return data.daily[data.daily["entity_type"] == "account"].set_index("date")


# ------------------------------------------------------------------------------------------------ figures
def test_impossible_account_figures_are_left_out_with_a_warning(server, store, caplog):
    today = server.today()
    days = [today - dt.timedelta(days=n) for n in range(10, 3, -1)]
    huge = 99999999999999999999999999
    metrics_by_day = [
        {"IMPRESSION": -5, "OUTBOUND_CLICK": 12, "SAVE": math.nan},
        {"IMPRESSION": math.inf, "OUTBOUND_CLICK": 1e308, "SAVE": 3},
        {"IMPRESSION": huge, "OUTBOUND_CLICK": 4},
        None,
        {"IMPRESSION": 20_000_000_000, "OUTBOUND_CLICK": 2},  # 2 x 10^10 in one day
        {"OUTBOUND_CLICK_RATE": 1.5, "IMPRESSION": 100, "SAVE": "7"},
        {"IMPRESSION": -math.inf},
    ]
    daily = [{"date": d.isoformat(), "data_status": "READY", "metrics": m} for d, m in zip(days, metrics_by_day)]
    daily.insert(2, None)  # a null inside the list
    body = raw_json({"all": {"daily_metrics": daily, "summary_metrics": None}})
    body = body.replace(str(huge).encode(), b"9" * 400)  # past what a float holds
    server.add_fault("/user_account/analytics", "body", times=None, data=body)
    result = S.sync(store, client_for(server), top_n=0)
    rows = account_rows(store)
    d = [pd.Timestamp(x) for x in days]
    assert rows.loc[d[0], "outbound_clicks"] == 12 and math.isnan(rows.loc[d[0], "impressions"])
    assert rows.loc[d[1], "saves"] == 3 and math.isnan(rows.loc[d[1], "impressions"])
    assert math.isnan(rows.loc[d[1], "outbound_clicks"])
    assert rows.loc[d[2], "outbound_clicks"] == 4 and math.isnan(rows.loc[d[2], "impressions"])
    assert d[3] not in rows.index  # metrics: null gives no row
    assert rows.loc[d[4], "outbound_clicks"] == 2 and math.isnan(rows.loc[d[4], "impressions"])
    assert rows.loc[d[5], "impressions"] == 100 and math.isnan(rows.loc[d[5], "outbound_click_rate"])
    assert math.isnan(rows.loc[d[5], "saves"])  # text is no number: unknown, not a drop
    assert d[6] not in rows.index
    for column in ("impressions", "outbound_clicks", "saves"):
        values = rows[column].dropna()
        assert ((values >= 0) & (values < 1e10)).all() and math.isfinite(values.sum())
    assert result.dropped == 8  # -5, NaN, inf, 1e308, 400 digits, 2e10, rate 1.5, -inf
    sentence = result.sentence()
    assert "Left out 8 figures Pinterest sent that cannot be true" in sentence and "They were not stored." in sentence
    assert f"impressions of the account on {days[0].isoformat()}: -5" in sentence
    assert "(400 digits)" in sentence or "9999..." in sentence or "..." in sentence
    assert any(r.levelname == "WARNING" and "cannot be true" in r.getMessage() for r in caplog.records)


def test_impossible_pin_figures_and_nulls_in_every_list_are_skipped(server, store):
    pins = [server.pin(0), None, "text", {**server.pin(2), "media": None, "pin_metrics": {"90d": None}},
            {**server.pin(3), "pin_metrics": {"90d": {"impression": -1, "clickthrough": 1e400, "save": 5}},
             "media": {"images": None}, "title": {"not": "text"}, "board_id": None}]
    server.add_fault("/pins", "body", times=None,
                     data=raw_json({"items": pins, "bookmark": None}).replace(b"Infinity", b"1e400"))
    server.add_fault("/boards", "status", status=200, times=None,
                     body={"items": [None, server.board(0), {"id": None, "name": "x"}], "bookmark": None})
    server.add_fault("/user_account/analytics/top_pins", "status", status=200, times=None,
                     body={"pins": [None, {"pin_id": None}, {"pin_id": server.pin_id(0), "metrics": None},
                                    {"pin_id": server.pin_id(2), "metrics": {"OUTBOUND_CLICK": -3, "SAVE": 2}}]})
    result = S.sync(store, client_for(server), top_n=5)
    assert result.pins_listed == 3 and result.boards == 1 and result.error is None
    data = store.load(store.profile())
    periods = data.periods.set_index("entity_id")
    three = periods.loc[server.pin_id(3)]
    assert three["saves"] == 5 and math.isnan(three["impressions"]) and math.isnan(three["outbound_clicks"])
    assert periods.loc[server.pin_id(2), "saves"] == 2 and math.isnan(periods.loc[server.pin_id(2), "outbound_clicks"])
    entities = data.entities.set_index("entity_id")
    assert pd.isna(entities.loc[server.pin_id(3), "title"]) and pd.isna(entities.loc[server.pin_id(3), "board_id"])
    assert result.dropped == 5  # impression -1, clickthrough inf, and OUTBOUND_CLICK -3 in each of the 3 top lists


def test_nulls_inside_pin_analytics_are_skipped(server, store):
    day = (server.today() - dt.timedelta(days=5)).isoformat()
    server.add_fault("/pins/*", "status", status=200, times=None,
                     body={"all": {"daily_metrics": [None, {"date": day, "data_status": None, "metrics": {
                         "IMPRESSION": 7, "SAVE": None}}, {"date": None}, {"metrics": {"IMPRESSION": 1}}]}})
    result = S.sync(store, client_for(server), top_n=2)
    assert result.pins_daily == 2
    pins = store.load(store.profile()).daily.query("entity_type == 'pin'")
    assert set(pins["impressions"]) == {7.0} and len(pins) == 2


# ------------------------------------------------------------------------------------------------ paging
def test_endless_pages_stop_at_the_count_pinterest_gives_with_a_sentence(server, store):
    server.state.endless_pages = True  # /user_account says 30 Pins and 3 boards
    result = S.sync(store, client_for(server), top_n=0)
    assert len(server.requests_to("/pins")) == 3 and len(server.requests_to("/boards")) == 3  # 1 page + 2 spare
    assert result.pins_listed == 750 and result.import_result is not None
    sentence = result.sentence()
    assert "Pinterest kept sending more pages of your Pins than there can be (Pinterest says there are 30)" \
        in sentence and "PinViewer stopped after 3 pages and kept the 750 it had." in sentence
    assert "more pages of your boards" in sentence


def test_a_repeated_bookmark_in_the_pin_list_stops_the_list_not_the_sync(server, store):
    server.add_fault("/pins", "status", status=200, times=None,
                     body={"items": [server.pin(0), server.pin(2)], "bookmark": "again"})
    result = S.sync(store, client_for(server), top_n=1)
    assert result.pins_listed == 2 and len(server.requests_to("/pins")) == 2
    assert "Pinterest sent a page of your Pins with nothing new on it; PinViewer stopped there and kept the 2 " \
           "it had." in result.sentence()
    assert result.pins_daily == 1


# ------------------------------------------------------------------------------------------------ precedence
def test_a_failed_top_list_never_replaces_the_analytics_figures_stored_earlier(server, store):
    client = client_for(server)
    first = S.sync(store, client, top_n=0)
    assert first.import_result is not None
    top = server.pin_id(1)  # in the top lists (analytics: 87 outbound clicks) and the Pin list (counters: 88)
    loose = server.pin_id(0)
    before = store.load(store.profile()).periods.set_index("entity_id")
    assert before.loc[top, "outbound_clicks"] == (30 - 1) * 3  # within a sync, the analytics figure wins
    # the next sync: the top lists fail (after the Pin list has arrived), the Pin list succeeds with new counters
    server.state.n_pins = 31  # every Pin's weight, so its counters, grows
    server.add_fault("/user_account/analytics/top_pins", "status", status=500, times=None, delay=0.5)
    with pytest.raises(ServerError) as info:
        S.sync(store, client, top_n=0)
    partial = info.value.sync_result
    assert partial.import_result is not None  # the account's days and the Pin list were stored
    after = store.load(store.profile()).periods.set_index("entity_id")
    assert after.loc[top, "outbound_clicks"] == (30 - 1) * 3  # not the Pin list's 91
    assert "keep the 90-day figures an earlier sync stored" in partial.sentence()
    new_pin = server.pin_id(30)
    assert new_pin in after.index  # a Pin with nothing stored gets its counters
    # the next complete sync brings the analytics figures up to date
    server.clear()
    S.sync(store, client, top_n=0)
    latest = store.load(store.profile()).periods.set_index("entity_id")
    assert latest.loc[top, "outbound_clicks"] == (31 - 1) * 3
    assert latest.loc[loose, "outbound_clicks"] == 31 * 3  # the Pin list's counters for Pins outside the lists


# ------------------------------------------------------------------------------------------------ tokens
@pytest.fixture
def env(server, tmp_path):
    return {"PINVIEWER_API_BASE": server.base_url, "PYTHON_KEYRING_BACKEND": "fake_keyring.FileKeyring",
            "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")]),
            "PINVIEWER_TEST_KEYRING": str(tmp_path / "test-keyring.json")}


@pytest.mark.parametrize("command", [["sync", "--token-stdin"], ["connect", "--token-stdin"]])
def test_a_token_with_an_emoji_is_one_sentence(server, env, command):
    done = run_cli(*command, stdin="pina_abc\U0001F600def\n", env=env, timeout=60)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "characters a token never has" in done.stderr
    assert not server.log


# ------------------------------------------------------------------------------------------------ bounded
@pytest.mark.parametrize("fault, error", [
    (dict(kind="trickle", delay=0.1, size=500), "ApiTimeout"),
    (dict(kind="huge", size=5_000_000, declare_length=False), "ReplyTooLarge"),
    (dict(kind="garbage"), "BadResponse"),
    (dict(kind="status", status=503), "ServerError"),
    (dict(kind="status", status=401), "AuthExpired"),
])
def test_a_broken_part_ends_the_sync_in_bounded_time_and_keeps_the_rest(server, store, fault, error):
    import time

    client = client_for(server, timeout=1.0, max_reply_bytes=1_000_000)
    server.add_fault("/boards", times=None, **fault)
    started = time.monotonic()
    with pytest.raises(Exception) as info:
        S.sync(store, client, top_n=3)
    assert type(info.value).__name__ == error and time.monotonic() - started < 10
    partial = info.value.sync_result
    assert partial.requests <= 12  # no request after the first error but those already on their way
    if error == "ApiTimeout":  # the rest arrived while the boards trickled: it is stored
        assert partial.account_days == 90 and partial.import_result.batch_id


def test_the_command_line_says_which_figures_were_left_out(server, env):
    day = (server.today() - dt.timedelta(days=20)).isoformat()
    server.add_fault("/user_account/analytics", "status", status=200, times=None,
                     body={"all": {"daily_metrics": [{"date": day, "data_status": "READY",
                                                      "metrics": {"IMPRESSION": -5, "SAVE": 4}}]}})
    done = run_cli("sync", "--token-stdin", "--pins", "0", stdin=server.token + "\n", env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    said = (f"Left out 1 figure Pinterest sent that cannot be true (below zero, infinite, not a number or far too "
            f"large): impressions of the account on {day}: -5. They were not stored.")
    assert said in done.stdout and said in done.stderr
