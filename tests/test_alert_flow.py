"""Alerts through the real flow: real SMTP (aiosmtpd) and HTTP servers on loopback."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest
from exports import personal_values, write_csv
from loopback import Smtp, Webhook, free_port

from warehouse import runs

pytestmark = [pytest.mark.usefixtures("clean_environment"), pytest.mark.slow]

AS_OF = date(2026, 1, 31)


def configure(monkeypatch: pytest.MonkeyPatch, smtp_port: int, hook: str) -> None:
    monkeypatch.setenv("IKU_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("IKU_SMTP_PORT", str(smtp_port))
    monkeypatch.setenv("IKU_ALERT_EMAIL_FROM", "iku@kpu-barsel.example")
    monkeypatch.setenv("IKU_ALERT_EMAIL_TO", "admin@kpu-barsel.example, data@kpu-barsel.example")
    monkeypatch.setenv("IKU_ALERT_WEBHOOK_URL", hook)
    monkeypatch.setenv("IKU_ALERT_RETRY_DELAY", "0.01")


def test_faulty_landing_publishes_and_sends_one_digest_per_channel(  # type: ignore[no-untyped-def]
    prefect_backend, demo_landing: Path, tmp_path: Path, monkeypatch, smtp: Smtp, webhook: Webhook
) -> None:
    from flows.refresh import refresh

    configure(monkeypatch, smtp.port, webhook.url)
    landing = tmp_path / "landing"
    shutil.copytree(demo_landing, landing)
    result = refresh(landing=landing, warehouse=tmp_path / "wh", as_of=AS_OF, demo=True)
    assert result.published is not None

    # Every fault of the demo is listed in dq.issues.
    con = duckdb.connect(str(result.published), read_only=True)
    rules = {
        r for (r,) in con.execute("SELECT rule FROM dq.issues WHERE severity = 'error'").fetchall()
    }
    assert {
        "file_tidak_terbaca",
        "kolom_wajib_tidak_ada",
        "nilai_tidak_valid",
        "nik_tidak_cocok_tanggal_lahir",
        "usia_kpps_17_55",
        "pdpb_tidak_seimbang_l",
    } <= rules
    con.close()  # DuckDB shares one instance per path within a process: close before reopening

    # One e-mail (to both recipients) and one webhook post, each naming every rejected file.
    assert len(smtp.sink.received) == 1
    assert len(webhook.posts) == 1
    mail = smtp.sink.received[0].message()
    body = mail.get_content()
    posted = json.loads(webhook.posts[0][2])
    rejected = [name.rsplit("/", 1)[-1] for name in result.rejected_files]
    assert len(rejected) == 2
    for name in rejected:
        assert name in body
        assert name in posted["text"]
    assert "usia_kpps_17_55" in body and "376" in body  # the rule and the row of the old member
    for value in personal_values(landing):
        assert value not in body and value not in json.dumps(posted)
    assert [a["ok"] for a in result.alerts] == [True, True]

    # The next run over the same landing finds nothing new: no second digest.
    again = refresh(landing=landing, warehouse=tmp_path / "wh", as_of=AS_OF, demo=True)
    assert again.published is not None and again.alerts == []
    assert len(smtp.sink.received) == 1 and len(webhook.posts) == 1
    # The history of runs, with the alerts of the first, is in the new database.
    con = duckdb.connect(str(again.published), read_only=True)
    history = con.execute(
        "SELECT run_id, status, alert FROM dq.run ORDER BY dimulai_pada"
    ).fetchall()
    assert [(r, s) for r, s, _ in history] == [
        (result.run_id, "diterbitkan"),
        (again.run_id, "diterbitkan"),
    ]
    assert '"ok": true' in history[0][2]


def test_mail_server_down_does_not_stop_the_run(  # type: ignore[no-untyped-def]
    prefect_backend, tmp_path: Path, monkeypatch, webhook: Webhook
) -> None:
    from flows.refresh import refresh

    configure(monkeypatch, free_port(), webhook.url)  # nothing listens on that port
    monkeypatch.setenv("IKU_PII_KEY", "kunci-uji")
    landing = tmp_path / "landing" / "6204" / "ppid"
    landing.mkdir(parents=True)
    write_csv(
        landing / "ppid.csv", [["No Registrasi", "Tanggal Permohonan"], ["001", "03/03/2025"]]
    )
    result = refresh(landing=tmp_path / "landing", warehouse=tmp_path / "wh", as_of=AS_OF)
    assert result.published is not None and result.published.exists()
    by_channel = {a["channel"]: a for a in result.alerts}
    assert by_channel["email"]["ok"] is False and by_channel["email"]["attempts"] == 3
    assert by_channel["webhook"]["ok"] is True
    record = runs.records(tmp_path / "wh")[-1]
    assert record["status"] == "diterbitkan"
    assert [a["ok"] for a in record["alert"]] == [False, True]


def test_a_run_stopped_after_its_swap_stays_published_and_the_next_run_tells(  # type: ignore[no-untyped-def]
    prefect_backend, tmp_path: Path, monkeypatch, webhook: Webhook
) -> None:
    """Ctrl+C (or SIGTERM) during the reports: the run published, so it exits as published and
    is not recorded as failed; the admins hear of its new broken export from the next run
    (as they do after a run killed once it had landed the export)."""
    import flows.after
    from flows.refresh import refresh

    configure(monkeypatch, free_port(), webhook.url)
    monkeypatch.delenv("IKU_SMTP_HOST")
    monkeypatch.setenv("IKU_PII_KEY", "kunci-uji")
    landing = tmp_path / "landing" / "6204" / "ppid"
    landing.mkdir(parents=True)
    write_csv(
        landing / "rusak.csv", [["No Registrasi", "Tanggal Permohonan"], ["001", "03/03/2025"]]
    )

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(flows.after, "write_reports", interrupted)
        stopped = refresh(landing=tmp_path / "landing", warehouse=tmp_path / "wh", as_of=AS_OF)
    assert stopped.published is not None and stopped.alerts == [] and webhook.posts == []
    [record] = runs.records(tmp_path / "wh")
    assert record["status"] == "diterbitkan" and "selesai_pada" not in record
    assert "KeyboardInterrupt" in record["peringatan_setelah_terbit"][0]

    again = refresh(landing=tmp_path / "landing", warehouse=tmp_path / "wh", as_of=AS_OF)
    assert [a["ok"] for a in again.alerts] == [True] and len(webhook.posts) == 1
    assert "rusak.csv" in json.loads(webhook.posts[0][2])["text"]
    assert runs.records(tmp_path / "wh")[-1]["file_baru"] == 1
    third = refresh(landing=tmp_path / "landing", warehouse=tmp_path / "wh", as_of=AS_OF)
    assert third.alerts == [] and len(webhook.posts) == 1  # told once


def test_warnings_alone_send_nothing_by_default(  # type: ignore[no-untyped-def]
    prefect_backend, tmp_path: Path, monkeypatch, smtp: Smtp, webhook: Webhook
) -> None:
    from flows.refresh import refresh

    configure(monkeypatch, smtp.port, webhook.url)
    monkeypatch.setenv("IKU_PII_KEY", "kunci-uji")
    folder = tmp_path / "landing" / "6204" / "logistik"
    folder.mkdir(parents=True)
    header = [
        "Tahun",
        "Kode Barang",
        "Kategori",
        "Lokasi Gudang",
        "Jumlah Tersedia",
        "Jumlah Baik",
        "Jumlah Rusak",
        "Tanggal Inventarisasi",
        "Tanggal Pemeliharaan",
    ]
    row = ["2025", "KS", "Barang Inventaris", "Gudang", "10", "8", "1", "03/03/2025", "04/03/2025"]
    write_csv(folder / "logistik.csv", [header, row])
    # Only this source is expected in the landing: no "no export yet" warnings for the others.
    monkeypatch.setenv("IKU_FRESHNESS_DAYS", "logistik=1000")
    result = refresh(landing=tmp_path / "landing", warehouse=tmp_path / "wh", as_of=AS_OF)
    con = duckdb.connect(str(result.published), read_only=True)
    severities = {s for (s,) in con.execute("SELECT DISTINCT severity FROM dq.issues").fetchall()}
    assert severities == {"warning"}
    assert result.alerts == []
    assert smtp.sink.received == [] and webhook.posts == []


def test_items_due_soon_send_one_digest_a_day(  # type: ignore[no-untyped-def]
    prefect_backend, tmp_path: Path, monkeypatch, smtp: Smtp, webhook: Webhook
) -> None:
    """No error at all, but a PPID request is due in 4 working days (received Saturday
    1 March 2025, deadline Friday 14 March, as-of Monday 10 March): the admins hear of it
    once that day, without the request's number or anything personal."""
    from flows.refresh import refresh

    configure(monkeypatch, smtp.port, webhook.url)
    monkeypatch.setenv("IKU_PII_KEY", "kunci-uji")
    monkeypatch.setenv("IKU_FRESHNESS_DAYS", "ppid=1000")
    folder = tmp_path / "landing" / "6204" / "ppid"
    folder.mkdir(parents=True)
    header = ["No Registrasi", "Tanggal Permohonan", "Tanggal Pemberitahuan Tertulis"]
    write_csv(folder / "ppid.csv", [header, ["REG-77", "01/03/2025", ""]])
    as_of = date(2025, 3, 10)

    first = refresh(landing=tmp_path / "landing", warehouse=tmp_path / "wh", as_of=as_of)
    assert [a["ok"] for a in first.alerts] == [True, True]
    [received] = smtp.sink.received
    mail = received.message()
    body = mail.get_content()
    assert "1 permohonan PPID jatuh tempo dalam 4 hari kerja" in body
    assert "1 butir jatuh tempo" in mail["Subject"]
    [(_, _, raw)] = webhook.posts
    payload = json.loads(raw)
    assert payload["jatuh_tempo"] == [
        {"kode_satker": "6204", "kode_iku": "IKU-3", "hari_kerja_tersisa": 4, "jumlah": 1}
    ]
    assert "REG-77" not in body and "REG-77" not in raw.decode()

    again = refresh(landing=tmp_path / "landing", warehouse=tmp_path / "wh", as_of=as_of)
    assert again.alerts == []  # already told today
    assert len(smtp.sink.received) == 1 and len(webhook.posts) == 1


def test_ctrl_c_between_the_swap_and_its_record_waits_for_both() -> None:
    """The published database and the record that says so are one step: a stop in between
    acts once both are done (the run then stays published, see the test above)."""
    import os
    import signal

    from flows.after import signals_deferred

    done = []
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt), signals_deferred():
            os.kill(os.getpid(), signal.SIGINT)
            done.append("swap")
            os.kill(os.getpid(), signal.SIGINT)
            done.append("record")
        assert done == ["swap", "record"]
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGINT, previous)
