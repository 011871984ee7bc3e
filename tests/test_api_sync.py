"""The sync planner and converter against the local fake Pinterest: what is fetched, what is stored."""
from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from conftest import SAMPLES
from fake_pinterest import FakePinterest
from pinviewer.core.api import sync as S
from pinviewer.core.api.client import NotBusinessAccount, PinterestClient, RetryPolicy, ServerError
from pinviewer.core.formats.model import ImportBatch
from pinviewer.core.store import Store

FAST = RetryPolicy(base_delay=0.005, max_delay=0.02)


@pytest.fixture
def server():
    with FakePinterest(n_pins=30) as fake:
        yield fake


@pytest.fixture
def store(pinviewer_home):
    with Store.open() as opened:
        yield opened


def client_for(server, **kw) -> PinterestClient:
    kw.setdefault("retry", FAST)
    kw.setdefault("timeout", 2.0)
    return PinterestClient(server.token, base_url=server.base_url, **kw)


def days_back(server, n: int) -> dt.date:
    return server.today() - dt.timedelta(days=n)


def pin_requests(server):
    return [r for r in server.log if r.path.startswith("/pins/") and r.path.endswith("/analytics")]


def account_requests(server):
    return server.requests_to("/user_account/analytics")


def load(store):
    return store.load(store.profile())


# ------------------------------------------------------------------------------------------------ planning
def test_windows_cover_days_with_at_most_90_days_each():
    d0 = dt.date(2026, 1, 1)
    days = [d0 + dt.timedelta(days=i) for i in range(200)]
    assert S.windows(days) == [(d0, d0 + dt.timedelta(days=89)), (d0 + dt.timedelta(days=90),
                                                                  d0 + dt.timedelta(days=179)),
                               (d0 + dt.timedelta(days=180), d0 + dt.timedelta(days=199))]
    scattered = [d0, d0 + dt.timedelta(days=10), d0 + dt.timedelta(days=95)]
    assert S.windows(scattered) == [(d0, d0 + dt.timedelta(days=10)), (scattered[2], scattered[2])]
    assert S.windows([]) == []
    for start, end in S.windows(days, 7):
        assert (end - start).days <= 6


def test_fetchable_days_are_the_last_90_up_to_yesterday():
    today = dt.date(2026, 11, 26)
    assert S.fetchable_days(today) == (dt.date(2026, 8, 28), dt.date(2026, 11, 25))
    first, last = S.fetchable_days(today)
    assert len(S.day_range(first, last)) == 90


def test_choose_pins_takes_top_lists_in_turn_then_pin_metrics():
    pins = [{"id": str(i), "pin_metrics": {"90d": {"clickthrough": c, "impression": 100, "save": 1}}}
            for i, c in enumerate([5, 50, 0, 7])]
    pins.append({"id": "9", "pin_metrics": {"90d": {"clickthrough": 0, "impression": 0, "pin_click": 0}}})
    top = {"OUTBOUND_CLICK": ["1", "3"], "SAVE": ["0"], "IMPRESSION": ["9", "1"]}
    assert S.choose_pins(top, pins, 10) == ["1", "0", "3", "2"]  # 9 is inactive
    assert S.choose_pins(top, pins, 2) == ["1", "0"]
    assert S.choose_pins(top, pins, 0) == []


# ------------------------------------------------------------------------------------------------ converting
def test_samples_convert_to_rows():
    answer = json.loads((SAMPLES / "api_user_account_analytics.json").read_text())
    unknown: set = set()
    rows, provisional = S.daily_rows("account", "", answer, unknown=unknown)
    assert len(rows) == 3 and rows[0]["date"] == dt.date(2025, 3, 1)
    assert rows[0]["outbound_clicks"] == 61 and rows[0]["outbound_click_rate"] == pytest.approx(0.0049)
    assert provisional == [("account", "", dt.date(2025, 3, 3))]
    before = json.loads((SAMPLES / "api_pin_analytics_before_created.json").read_text())
    assert S.daily_rows("pin", "1", before) == ([], [])
    keep = {dt.date(2025, 3, 2)}
    rows, _ = S.daily_rows("pin", "7", json.loads((SAMPLES / "api_pin_analytics.json").read_text()), keep)
    assert [r["date"] for r in rows] == [dt.date(2025, 3, 2)] and rows[0]["impressions"] == 1702
    top = S.top_pin_rows(json.loads((SAMPLES / "api_top_pins.json").read_text()), dt.date(2025, 1, 1),
                         dt.date(2025, 3, 31))
    assert top[0]["entity_id"] == "1012345678901234567" and top[0]["saves"] == 612
    listed = json.loads((SAMPLES / "api_pins_list_page1.json").read_text())["items"]
    image, video = (S.pin_entity(p, {"549755885175": "Easy Dinners"}) for p in listed)
    assert image["board"] == "Easy Dinners" and image["created"] == "2024-11-18"
    assert image["image_url"].startswith("https://i.pinimg.com/600x/") and image["format"] == "REGULAR"
    assert video["format"] == "VIDEO" and video["board"] is None and video["image_url"]
    period = S.pin_period_row(image["entity_id"], S.pin_90d(listed[0]), dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    assert (period["impressions"], period["outbound_clicks"], period["pin_clicks"]) == (48210, 240, 701)
    assert S.pin_period_row(video["entity_id"], S.pin_90d(listed[1]), dt.date(2025, 1, 1),
                            dt.date(2025, 3, 31)) is None


def test_split_answer_with_one_block_is_read():
    answer = json.loads((SAMPLES / "api_user_account_analytics_split_app_type.json").read_text())
    assert S.daily_rows("account", "", answer) == ([], [])  # two splits: not ours to add up
    one = {"WEB": answer["WEB"]}
    assert S.daily_rows("account", "", one)[0][0]["impressions"] == 2680


# ------------------------------------------------------------------------------------------------ syncing
def test_first_sync_fetches_and_stores_everything(server, store):
    client = client_for(server)
    result = S.sync(store, client, top_n=10)
    today = server.today()
    yesterday = today - dt.timedelta(days=1)
    # requests: account, 1 window of 90 days, 3 top lists, 1 page of Pins, 1 page of boards, 10 Pins
    assert [r.path for r in server.log[:1]] == ["/user_account"]
    assert len(account_requests(server)) == 1
    window = account_requests(server)[0].query
    assert (window["start_date"], window["end_date"]) == ((today - dt.timedelta(days=90)).isoformat(),
                                                          yesterday.isoformat())
    assert "metric_types" not in window  # all metrics
    tops = server.requests_to("/user_account/analytics/top_pins")
    assert sorted(r.query["sort_by"] for r in tops) == ["IMPRESSION", "OUTBOUND_CLICK", "SAVE"]
    assert all(r.query["num_of_pins"] == "50" for r in tops)
    listing = server.requests_to("/pins")
    assert len(listing) == 1 and listing[0].query == {"pin_metrics": "true", "page_size": "250"}
    assert len(server.requests_to("/boards")) == 1
    assert len(pin_requests(server)) == 10
    assert result.requests == len(server.log) == 17 and result.retries == 0
    assert server.max_in_flight <= client.max_in_flight
    # what was stored
    assert result.account_days == 90 and result.provisional_days == 2
    assert (result.pins_listed, result.pins_daily, result.boards) == (30, 10, 3)
    info = store.batches()[-1]
    assert info.file_name.startswith("Pinterest API sync ") and info.format == "api"
    data = load(store)
    account = data.daily[data.daily["entity_type"] == "account"].set_index("date")
    assert len(account) == 90
    assert account["provisional"].sum() == 2
    assert bool(account.loc[pd.Timestamp(yesterday), "provisional"])
    assert not account.loc[pd.Timestamp(today - dt.timedelta(days=3)), "provisional"]
    expected = server.account_metrics(today - dt.timedelta(days=10))
    row = account.loc[pd.Timestamp(today - dt.timedelta(days=10))]
    assert row["outbound_clicks"] == expected["OUTBOUND_CLICK"] and row["saves"] == expected["SAVE"]
    assert "CLOSEUP_RATE" in result.unrecognised
    periods = data.periods[data.periods["entity_type"] == "pin"]
    assert len(periods) == 30  # pin 1 has no pin_metrics but is in a top list
    assert set(periods["start"]) == {pd.Timestamp(yesterday - dt.timedelta(days=89))}
    assert set(periods["end"]) == {pd.Timestamp(yesterday)}
    pins = data.entities[data.entities["entity_type"] == "pin"].set_index("entity_id")
    first = pins.loc[server.pin_id(0)]
    assert (first["title"], first["board"], first["board_id"]) == ("Post number 0", "Board 0", server.board_id(0))
    assert first["created"] == server.pin_created(0).isoformat() and first["format"] == "REGULAR"
    assert first["image_url"].endswith("/600x/0.jpg") and first["link"] == "https://example-blog.com/post-0/"
    assert pins.loc[server.pin_id(4), "format"] == "VIDEO"
    boards = data.entities[data.entities["entity_type"] == "board"]
    assert sorted(boards["name"]) == ["Board 0", "Board 1", "Board 2"]
    assert store.get_setting(store.profile(), S.SETTING_ACCOUNT)["username"] == "exampleblog"


def test_pins_that_matter_are_asked_from_creation_with_the_right_metrics(server, store):
    S.sync(store, client_for(server), top_n=30)
    asked = {r.path.split("/")[2]: r.query for r in pin_requests(server)}
    inactive = {server.pin_id(i) for i in range(30) if server.is_inactive(i)}
    assert inactive and not inactive & set(asked)  # pin_metrics says nothing happened: no request
    assert len(asked) == 30 - len(inactive)
    first = server.today() - dt.timedelta(days=90)
    for pin_id, query in asked.items():
        i = server.pin_index(pin_id)
        start = dt.date.fromisoformat(query["start_date"])
        assert start == max(first, server.pin_created(i))
        types = query["metric_types"].split(",")
        assert ("VIDEO_MRC_VIEW" in types) == server.is_video(i)
        assert "IMPRESSION" in types and "OUTBOUND_CLICK" in types
    recent = [i for i in range(30) if server.pin_created(i) > first and not server.is_inactive(i)]
    assert recent, "the fake must have Pins created inside the window"
    data = load(store)
    for i in recent:
        days = data.daily[(data.daily["entity_type"] == "pin") & (data.daily["entity_id"] == server.pin_id(i))]
        assert days["date"].min() == pd.Timestamp(server.pin_created(i))


def test_second_sync_fetches_only_days_not_final(server, store):
    client = client_for(server)
    S.sync(store, client, top_n=10)
    server.clear()
    second = S.sync(store, client, top_n=10)
    provisional_from = (server.today() - dt.timedelta(days=2)).isoformat()
    assert [r.query["start_date"] for r in account_requests(server)] == [provisional_from]
    assert len(pin_requests(server)) == 10
    assert all(r.query["start_date"] >= provisional_from for r in pin_requests(server))
    assert second.account_days == 2 and second.requests == 17


def test_provisional_days_are_refetched_and_updated_then_final(server, store):
    client = client_for(server)
    S.sync(store, client, top_n=5)
    two_days_ago = server.today() - dt.timedelta(days=2)
    before = load(store).daily.set_index(["entity_type", "date"]).loc[("account", pd.Timestamp(two_days_ago))]
    assert bool(before["provisional"])
    server.state.processing_days = 0  # Pinterest has finished counting
    S.sync(store, client, top_n=5)
    after = load(store).daily.set_index(["entity_type", "date"]).loc[("account", pd.Timestamp(two_days_ago))]
    assert after["outbound_clicks"] == server.account_metrics(two_days_ago)["OUTBOUND_CLICK"]
    assert after["outbound_clicks"] > before["outbound_clicks"]
    assert not bool(after["provisional"])
    server.clear()
    S.sync(store, client, top_n=5)
    # only yesterday is left: the store keeps the last day provisional whatever Pinterest said
    yesterday = (server.today() - dt.timedelta(days=1)).isoformat()
    assert [r.query["start_date"] for r in account_requests(server)] == [yesterday]


def test_a_sync_that_changes_nothing_adds_no_import_entry(server, store):
    client = client_for(server)
    server.state.processing_days = 0
    S.sync(store, client, top_n=5)
    batches = len(store.batches())
    again = S.sync(store, client, top_n=5)
    assert again.requests > 0 and again.account_days >= 1  # the last day was fetched again...
    assert again.unchanged and again.import_result is None  # ...and were the same
    assert len(store.batches()) == batches
    assert "Nothing changed since the last sync, so nothing was added to the import history." in again.sentence()
    server.state.processing_days = 2  # Pinterest now says the last two days are still being counted: a change
    changed = S.sync(store, client, top_n=5)
    assert not changed.unchanged and changed.batch_id and len(store.batches()) == batches + 1


def test_top_n_comes_from_the_profile_setting(server, store):
    store.set_setting(store.profile(), S.SETTING_TOP_PINS, 3)
    S.sync(store, client_for(server))
    assert len(pin_requests(server)) == 3
    server.clear()
    S.sync(store, client_for(server), top_n=0)
    assert pin_requests(server) == []


def test_many_pins_are_paged_by_250(store):
    with FakePinterest(n_pins=600) as server:
        result = S.sync(store, client_for(server), top_n=0)
        pages = server.requests_to("/pins")
        assert [r.query.get("bookmark") is None for r in pages] == [True, False, False]
        assert result.pins_listed == 600
        assert len(load(store).entities.query("entity_type == 'pin'")) == 600


def test_cancel_keeps_what_was_fetched_and_the_next_sync_resumes(server, store):
    server.state.latency = 0.01
    client = client_for(server, max_in_flight=2)

    def cancelled():
        return len(pin_requests(server)) >= 6

    first = S.sync(store, client, top_n=20, cancelled=cancelled)
    assert first.cancelled and first.import_result is not None and first.import_result.batch_id
    assert "stopped" in store.batches()[-1].file_name
    done = {r.path.split("/")[2] for r in pin_requests(server) if r.status == 200}
    assert 6 <= len(pin_requests(server)) < 18
    assert first.pins_daily >= 1
    data = load(store)
    stored_pins = set(data.daily.loc[data.daily["entity_type"] == "pin", "entity_id"])
    assert stored_pins and stored_pins <= done
    assert len(data.daily[data.daily["entity_type"] == "account"]) == 90
    server.clear()
    server.state.latency = 0
    second = S.sync(store, client, top_n=20)
    assert not second.cancelled and second.pins_daily == second.pins_daily_planned
    full_window = (server.today() - dt.timedelta(days=90)).isoformat()
    for request in pin_requests(server):
        pin_id = request.path.split("/")[2]
        if pin_id in stored_pins:  # only its provisional days again
            assert request.query["start_date"] >= (server.today() - dt.timedelta(days=2)).isoformat()
        else:
            created = server.pin_created(server.pin_index(pin_id)).isoformat()
            assert request.query["start_date"] == max(full_window, created)


def test_cancel_before_anything_sends_nothing(server, store):
    result = S.sync(store, client_for(server), cancelled=lambda: True)
    assert result.cancelled and result.requests == 0 and not server.log
    assert result.import_result is None and store.batches() == []


def test_progress_is_reported_from_the_calling_thread(server, store):
    import threading

    calls = []
    me = threading.current_thread()

    def progress(done, total, message):
        assert threading.current_thread() is me
        calls.append((done, total, message))

    S.sync(store, client_for(server), top_n=5, progress=progress)
    assert calls and calls[-1][0] == 12
    assert all(done <= total for done, total, _ in calls)
    assert any("daily analytics for 5 Pins" in message for *_, message in calls)


def test_an_error_mid_sync_keeps_what_was_complete(server, store):
    client = client_for(server, retry=RetryPolicy(base_delay=0.001, server_retries=1))
    server.add_fault(f"/pins/{server.pin_id(0)}/analytics", "status", times=None, status=500)
    with pytest.raises(ServerError) as info:
        S.sync(store, client, top_n=10)
    partial = info.value.sync_result
    assert partial.import_result is not None and partial.import_result.batch_id
    data = load(store)
    assert len(data.daily[data.daily["entity_type"] == "account"]) == 90
    assert server.pin_id(0) not in set(data.daily["entity_id"])


def test_a_pin_gone_since_it_was_listed_is_skipped(server, store):
    gone = server.pin_id(0)
    server.add_fault(f"/pins/{gone}/analytics", "status", status=404, body={"code": 404, "message": "Pin not found."})
    result = S.sync(store, client_for(server), top_n=5)
    assert result.pins_skipped == [gone] and result.pins_daily == 4


def test_a_personal_account_is_refused_before_fetching(server, store):
    server.state.account_type = "PINNER"
    with pytest.raises(NotBusinessAccount) as info:
        S.sync(store, client_for(server))
    assert "business account" in str(info.value)
    assert [r.path for r in server.log] == ["/user_account"] and store.batches() == []


def test_a_profile_keeps_to_one_pinterest_account(server, store):
    S.sync(store, client_for(server), top_n=0)
    server.state.account_id = "999"
    server.state.username = "someoneelse"
    with pytest.raises(Exception) as info:
        S.sync(store, client_for(server), top_n=0)
    assert "@exampleblog" in str(info.value) and "another profile" in str(info.value)
    other = store.ensure_profile("Second blog")
    assert S.sync(store, client_for(server), other, top_n=0).import_result.batch_id


def test_undo_brings_the_days_back_into_the_plan(server, store):
    client = client_for(server)
    first = S.sync(store, client, top_n=2)
    store.undo(first.batch_id)
    server.clear()
    S.sync(store, client, top_n=2)
    assert account_requests(server)[0].query["start_date"] == (server.today() - dt.timedelta(days=90)).isoformat()


def test_days_from_file_imports_do_not_count_as_fetched(server, store):
    today = server.today()
    days = [today - dt.timedelta(days=i) for i in range(3, 60)]
    frame = pd.DataFrame({"entity_type": "account", "entity_id": "", "date": days, "impressions": 5.0})
    csv = ImportBatch(format="pinterest_overview", format_label="Pinterest overview", daily=frame)
    store.import_batch(store.profile(), csv, file_name="overview.csv", sha256="x" * 64)
    S.sync(store, client_for(server), top_n=0)
    assert account_requests(server)[0].query["start_date"] == (today - dt.timedelta(days=90)).isoformat()
