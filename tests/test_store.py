"""The history store on SQLite (always) and PostgreSQL (with SAKIP_TEST_PG): schema by migrations, runs
recorded whole, baru / berulang / selesai by fingerprint, concurrent writers in several processes, a run
failing midway leaving nothing, follow-up history and overdue follow-ups."""

from __future__ import annotations

import datetime as dt
import multiprocessing

import pytest
from sqlalchemy import select

from sakip_checker.api import check
from sakip_checker.evaluate import Report
from sakip_checker.store import StoreError, open_store
from sakip_checker.store import api as store_api
from sakip_checker.store.models import Base, RunRow
from store_support import BIRO, biro_fixed

TABLES = {"submissions", "runs", "findings", "follow_ups", "waivers",
          "web_accounts", "web_sessions", "web_login_failures", "web_runs", "web_report_files", "web_proposals"}


@pytest.fixture(scope="module")
def biro():
    return check(BIRO)


@pytest.fixture(scope="module")
def fixed():
    return check(biro_fixed())


def test_store_migrates_itself_and_matches_the_models(db_url):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with open_store(db_url) as store:
        assert store.revision() == "0002"
        assert store.counts() == {t: 0 for t in TABLES}
        with store.engine.connect() as connection:
            diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert diffs == []  # the migration scripts make exactly the tables the models describe
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from sakip_checker.store.migrations import HEAD

    config = Config()
    config.set_main_option("script_location", str(store_api.MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD  # the fast path's revision
    with open_store(db_url) as again:  # opening an up-to-date store changes nothing
        assert again.revision() == "0002"


def test_runs_mark_findings_baru_berulang_selesai(db_url, biro, fixed):
    first_day = dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc)
    with open_store(db_url) as store:
        one = store.record_run(biro, "a" * 64, recorded_at=first_day)
        assert one.pembanding is None and set(one.status.values()) == {"baru"}
        assert len(one.status) == biro.counts["lokasi"]
        two = store.record_run(fixed, "b" * 64, oleh="Evaluator A", recorded_at=first_day + dt.timedelta(days=30))
        before = {u.fingerprint for u in biro.units()}
        after = {u.fingerprint for u in fixed.units()}
        assert two.pembanding.run == one.run and two.pembanding.tanggal == "2024-03-01"
        assert {fp for fp, s in two.status.items() if s == "berulang"} == before & after
        assert {fp for fp, s in two.status.items() if s == "baru"} == after - before
        assert {x.fingerprint for x in two.selesai} == before - after
        assert {x.rule_id for x in two.selesai} == {"REN-002"}
        counts = store.counts()
        assert counts["runs"] == 2 and counts["submissions"] == 2
        assert counts["findings"] == len(before) + len(after)
        runs = store.runs("Biro Pemerintahan dan Otonomi Daerah")
        assert [r["previous"] for r in runs] == [None, one.run]
        assert runs[1]["summary"]["counts"] == fixed.counts
        three = store.record_run(fixed, "b" * 64)  # the same submission again: one submission row
        assert store.counts()["submissions"] == 2 and set(three.status.values()) == {"berulang"} and not three.selesai


def test_a_run_failing_midway_leaves_nothing(db_url, biro, monkeypatch):
    calls = {"n": 0}
    real = store_api._finding_row

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 40:  # the submission, the run and 39 findings are already in the session
            raise RuntimeError("gangguan buatan di tengah penyimpanan")
        return real(*args, **kwargs)

    with open_store(db_url) as store:
        monkeypatch.setattr(store_api, "_finding_row", failing)
        with pytest.raises(RuntimeError, match="gangguan buatan"):
            store.record_run(biro, "c" * 64)
        assert store.counts() == {t: 0 for t in TABLES}
        monkeypatch.setattr(store_api, "_finding_row", real)
        store.record_run(biro, "c" * 64)  # the next attempt records the whole run
        assert store.counts()["findings"] == biro.counts["lokasi"]


def _writer(url: str, report_json: str, runs: int, worker: int) -> None:
    report = Report.model_validate_json(report_json)
    with open_store(url) as store:
        for i in range(runs):
            store.record_run(report, f"{worker:02d}{i:02d}".ljust(64, "0"))


def test_concurrent_writers_in_processes_lose_nothing(db_url, biro):
    workers, runs = 4, 5
    context = multiprocessing.get_context("spawn")  # fresh interpreters: no shared connection
    payload = biro.model_dump_json()
    processes = [context.Process(target=_writer, args=(db_url, payload, runs, w)) for w in range(workers)]
    for p in processes:  # every process opens (and migrates) the new store at the same time
        p.start()
    for p in processes:
        p.join(180)
    assert [p.exitcode for p in processes] == [0] * workers
    with open_store(db_url) as store:
        counts = store.counts()
        assert counts["runs"] == workers * runs
        assert counts["submissions"] == workers * runs
        assert counts["findings"] == workers * runs * biro.counts["lokasi"]
        with store.engine.connect() as c:
            previous = [r.previous_run_id for r in c.execute(select(RunRow).order_by(RunRow.id))]
        # one chain: every run but the first compared with exactly one earlier run, none twice
        assert previous.count(None) == 1 and len(set(p for p in previous if p)) == workers * runs - 1


def test_follow_up_history_and_overdue(db_url, biro):
    start = dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc)
    with open_store(db_url) as store:
        store.record_run(biro, "d" * 64, recorded_at=start)
        units = biro.units()
        error = next(u for u in units if u.severity == "error")
        warning = next(u for u in units if u.severity == "warning")
        opd = biro.submission.opd
        store.record_follow_ups(opd, [
            {"fingerprint": error.fingerprint, "status": "proses", "tanggal": dt.date(2024, 3, 10), "bukti": None},
            {"fingerprint": error.fingerprint, "status": "selesai", "tanggal": dt.date(2024, 3, 20), "bukti": "SK 1"},
            {"fingerprint": warning.fingerprint, "status": "proses", "tanggal": dt.date(2024, 3, 12), "bukti": None},
        ], oleh="Evaluator A", sumber="temuan.xlsx")
        assert [h.status for h in store.follow_up_history(opd, error.fingerprint)] == ["proses", "selesai"]
        limits = biro.parameters["batas_tindak_lanjut_hari"]
        assert store.overdue(dt.date(2024, 3, 1) + dt.timedelta(days=limits["warning"])) == []  # due that day
        late = store.overdue(dt.date(2024, 3, 2) + dt.timedelta(days=max(limits.values())))
        late_fps = {x.fingerprint for x in late}
        assert error.fingerprint not in late_fps  # selesai
        assert warning.fingerprint in late_fps and len(late_fps) == len(units) - 1
        item = next(x for x in late if x.fingerprint == warning.fingerprint)
        assert item.status == "proses" and item.sejak == dt.date(2024, 3, 1) and item.hari_terlambat == 1 + (
            max(limits.values()) - limits["warning"])
        assert store.overdue(dt.date(2030, 1, 1), opd="OPD lain") == []
        with pytest.raises(ValueError):
            store.record_follow_ups(opd, [{"fingerprint": error.fingerprint, "status": "dalam proses"}],
                                    oleh=None, sumber=None)


def test_overdue_deadline_per_rule_beats_severity(db_url, biro):
    rule = biro.units()[0].rule_id
    params = {**biro.parameters, "batas_tindak_lanjut_hari": {"error": 60, "warning": 60, "info": 90, rule: 7}}
    report = biro.model_copy(update={"parameters": params})
    with open_store(db_url) as store:
        store.record_run(report, "e" * 64, recorded_at=dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc))
        late = store.overdue(dt.date(2024, 3, 9))
        assert late and {x.rule_id for x in late} == {rule} and {x.batas for x in late} == {dt.date(2024, 3, 8)}


def test_unreachable_or_unknown_database_is_one_line(tmp_path):
    with pytest.raises(StoreError) as bad:
        open_store("postgresql://sakip:salah@127.0.0.1:1/tidak_ada")
    assert len(bad.value.lines) == 1 and "basis data tidak dapat dibuka" in bad.value.lines[0]
    assert "salah" not in bad.value.lines[0]  # the password is not printed
    with pytest.raises(StoreError) as unknown:
        open_store("mysqlx://host/db")
    assert "tidak dikenal" in unknown.value.lines[0]


def test_previous_run_is_of_the_same_or_an_earlier_year(db_url, biro):
    def of_year(year: int):
        return biro.model_copy(update={"submission": biro.submission.model_copy(update={"tahun": year})})

    with open_store(db_url) as store:
        y2022 = store.record_run(of_year(2022), "1" * 64)
        y2024 = store.record_run(of_year(2024), "2" * 64)
        assert y2024.pembanding.run == y2022.run and y2024.pembanding.tahun == 2022
        late_2023 = store.record_run(of_year(2023), "3" * 64)  # recorded after 2024: compared with 2022
        assert late_2023.pembanding.run == y2022.run
        again_2024 = store.record_run(of_year(2024), "2" * 64)
        assert again_2024.pembanding.run == y2024.run  # the same year's latest run before the older years'
