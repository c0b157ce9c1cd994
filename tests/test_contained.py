"""No file stops a run: a landing full of hostile files, run as a user runs it (`iku refresh`
in its own process, against a real Prefect server), still publishes, reports every file, and
shows their names escaped wherever they reach a person."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import pytest
import xlsxwriter
from loopback import Cuttable, Webhook

from tests.hostile import write_hostile
from warehouse import runs
from warehouse.layout import WarehouseLayout

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-01-31"
MAX_FILE_BYTES = 2 << 20


@pytest.fixture(scope="module")
def api_url(prefect_backend: None) -> str:
    from prefect.settings import get_current_settings

    return str(get_current_settings().api.url)


def iku(api_url: str, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("IKU_", "PREFECT_"))}
    env |= {"PREFECT_API_URL": api_url, **extra}
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        check=False,
    )


@pytest.fixture(scope="module")
def hostile_run(api_url: str, demo_landing: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("hostile")
    landing = root / "landing"
    shutil.copytree(demo_landing, landing)
    expected = write_hostile(landing, root / "outside", big_bytes=MAX_FILE_BYTES + 1)
    far = landing / "6204" / "ppid" / FAR_NAME
    far.write_bytes(far_sheet())
    expected[str(far.relative_to(landing))] = "error"
    warehouse = root / "warehouse"
    warehouse.mkdir()
    WarehouseLayout(warehouse).docs.write_text("not a folder")  # the Data Docs step will fail
    done = iku(
        api_url,
        "refresh",
        "--landing",
        str(landing),
        "--warehouse",
        str(warehouse),
        "--as-of",
        AS_OF,
        IKU_PII_KEY="kunci-uji",  # the demo's landing and more: no demo landing any longer
        IKU_MAX_FILE_BYTES=str(MAX_FILE_BYTES),
        # raised so far that the guard lets the far sheet through to the XLSX reader
        IKU_MAX_XLSX_CELLS=str(10**12),
        IKU_MAX_ROWS=str(10**7),
        IKU_MAX_COLUMNS=str(20_000),
    )
    return done, warehouse, expected


FAR_NAME = "ppid_sampai_xfd.xlsx"


def far_sheet() -> bytes:
    """A register whose sheet reaches XFD1048576: the XLSX reader asks for 512 GiB, and its
    child process dies."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["No Registrasi", "Tanggal Permohonan", "Tanggal Pemberitahuan Tertulis"])
    sheet.write(1_048_575, 16_383, 1)
    book.close()
    return buffer.getvalue()


def issues(warehouse: Path) -> list[tuple[str | None, int | None, str, str, str]]:
    con = duckdb.connect(str(warehouse / "kinerja.duckdb"), read_only=True)
    try:
        return con.execute(
            "SELECT file_name, row_number, rule, severity, message FROM dq.issues"
        ).fetchall()
    finally:
        con.close()


def test_a_landing_of_hostile_files_still_publishes(hostile_run) -> None:  # type: ignore[no-untyped-def]
    done, warehouse, _ = hostile_run
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stdout + done.stderr
    con = duckdb.connect(str(warehouse / "kinerja.duckdb"), read_only=True)
    try:
        # The demo's own exports still load: IKU-6 has its 406 + Pilkada TPS counted.
        assert con.execute("SELECT count(*) FROM staging.siakba").fetchone()[0] > 0  # type: ignore[index]
    finally:
        con.close()


def test_every_hostile_file_is_reported_with_its_outcome(hostile_run) -> None:  # type: ignore[no-untyped-def]
    _, warehouse, expected = hostile_run
    found = issues(warehouse)
    for relative, outcome in expected.items():
        name = Path(relative).name
        mine = [i for i in found if i[0] == name]
        assert mine, f"{relative!r} is not in dq.issues"
        if outcome == "rows":
            assert any(i[1] is not None and i[3] == "error" for i in mine), mine
            assert not any(i[1] is None and i[3] == "error" for i in mine), mine
        else:
            assert any(i[1] is None and i[3] == outcome for i in mine), (relative, mine)
        for _, _, _, _, message in mine:
            assert message and len(message) < 2000


def test_a_file_that_ends_the_xlsx_reader_costs_that_file_alone(hostile_run) -> None:  # type: ignore[no-untyped-def]
    _, warehouse, _ = hostile_run
    [far] = [i for i in issues(warehouse) if i[0] == FAR_NAME]
    assert far[2] == "file_tidak_terbaca" and "berhenti mendadak" in far[4]


def test_links_and_special_files_are_never_followed(hostile_run) -> None:  # type: ignore[no-untyped-def]
    _, warehouse, _ = hostile_run
    kept = [p for p in (warehouse / "history").rglob("*") if p.is_file()]
    assert kept
    assert not any(b"RAHASIA" in p.read_bytes() for p in kept)


def test_a_file_over_the_size_limit_is_not_kept(hostile_run) -> None:  # type: ignore[no-untyped-def]
    _, warehouse, _ = hostile_run
    assert all(p.stat().st_size <= MAX_FILE_BYTES for p in (warehouse / "history").rglob("*.*"))
    [big] = [i for i in issues(warehouse) if i[0] == "ppid_raksasa.csv"]
    assert big[2] == "file_terlalu_besar" and "IKU_MAX_FILE_BYTES" in big[4]


def test_file_names_are_escaped_in_the_cli_summary(hostile_run) -> None:  # type: ignore[no-untyped-def]
    done, _, _ = hostile_run
    lines = (done.stdout + done.stderr).splitlines()
    assert not [line for line in lines if line.startswith("Palsu")], "a file name forged a line"
    assert any("kosong\\nPalsu \\x1b[31m.csv" in line for line in lines), done.stdout
    assert "\x1b" not in done.stdout + done.stderr


def test_file_names_are_escaped_in_the_prefect_artifact(hostile_run) -> None:  # type: ignore[no-untyped-def]
    from prefect import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
    from prefect.client.schemas.sorting import ArtifactSort

    with get_client(sync_client=True) as client:
        [artifact] = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["iku-nightly"])),
            sort=ArtifactSort.CREATED_DESC,
            limit=1,
        )
    text = str(artifact.data)
    assert "Palsu" in text
    assert not [line for line in text.splitlines() if line.startswith("Palsu")]
    assert "<b>" not in text
    row = next(line for line in text.splitlines() if "Palsu" in line)
    assert row.count(" | ") == 4, row  # the pipe in the name did not add a cell


def test_a_failure_after_the_swap_is_a_warning_and_the_run_is_published(hostile_run) -> None:  # type: ignore[no-untyped-def]
    done, warehouse, _ = hostile_run
    assert "Data Docs gagal setelah database diterbitkan" in done.stdout
    [record] = [r for r in runs.records(warehouse)]
    assert record["status"] == "diterbitkan"
    assert record["diterbitkan_pada"] and record["selesai_pada"]
    assert record["peringatan_setelah_terbit"]
    log = WarehouseLayout(warehouse).log_file.read_text()
    assert "Traceback" in log  # the cause, for whoever looks into it


def test_as_of_out_of_range_is_refused_before_anything_runs(api_url: str, tmp_path: Path) -> None:
    (tmp_path / "landing").mkdir()
    done = iku(
        api_url,
        "refresh",
        "--landing",
        str(tmp_path / "landing"),
        "--warehouse",
        str(tmp_path / "wh"),
        "--as-of",
        "9999-12-31",
        IKU_PII_KEY="k",
    )
    assert done.returncode == 2
    assert "tanggal posisi 9999-12-31 di luar rentang" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "wh").exists()


def test_a_failed_run_is_recorded_shown_without_a_traceback_and_told(
    api_url: str, tmp_path: Path, webhook: Webhook
) -> None:
    landing, warehouse = tmp_path / "landing", tmp_path / "wh"
    write_hostile(landing, tmp_path / "outside")
    warehouse.mkdir()
    (warehouse / "build").write_text("a file where the build folder belongs")
    done = iku(
        api_url, "refresh", "--landing", str(landing), "--warehouse", str(warehouse),
        "--as-of", AS_OF, IKU_PII_KEY="k", IKU_ALERT_WEBHOOK_URL=webhook.url,
    )  # fmt: skip
    # The admins are told, though nothing was published (a run failing unseen every night).
    [(_, _, body)] = webhook.posts
    told = json.loads(body)
    assert told["published"] is False and "build" in told["failure"]
    assert "run GAGAL" in told["text"] and "TIDAK diterbitkan" in told["text"]
    assert done.returncode == 1
    assert "tidak ada database baru yang diterbitkan" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert not (warehouse / "kinerja.duckdb").exists()
    [record] = runs.records(warehouse)
    assert record["status"] == "gagal" and record["kesalahan"]
    assert [a["ok"] for a in record["alert"]] == [True]
    status = iku(api_url, "status", "--warehouse", str(warehouse))
    assert record["run_id"] in status.stdout and "gagal" in status.stdout
    assert f"sebab: {record['kesalahan']}" in status.stdout  # why, without opening run.json
    assert "Traceback" in WarehouseLayout(warehouse).log_file.read_text()


def test_a_locked_warehouse_is_refused_plainly_and_recorded(api_url: str, tmp_path: Path) -> None:
    (tmp_path / "landing").mkdir()
    warehouse = tmp_path / "wh"
    with runs.exclusive(warehouse):
        done = iku(
            api_url, "refresh", "--landing", str(tmp_path / "landing"),
            "--warehouse", str(warehouse), "--as-of", AS_OF, IKU_PII_KEY="k",
        )  # fmt: skip
    assert done.returncode == 4
    assert "run lain sedang berjalan" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert [r["status"] for r in runs.records(warehouse)] == ["gagal"]
    assert json.dumps(runs.records(warehouse))  # the record is plain JSON


def test_an_unreachable_prefect_api_is_explained(tmp_path: Path) -> None:
    (tmp_path / "landing").mkdir()
    done = iku(
        "http://127.0.0.1:9/api", "refresh", "--landing", str(tmp_path / "landing"),
        "--warehouse", str(tmp_path / "wh"), "--as-of", AS_OF, IKU_PII_KEY="k",
    )  # fmt: skip
    assert done.returncode == 5
    assert "PREFECT_API_URL=http://127.0.0.1:9/api tidak dapat dihubungi" in done.stderr
    assert "prefect server start" in done.stderr
    assert "Traceback" not in done.stderr


def test_prefect_gone_after_the_swap_exits_0_as_published(api_url: str, tmp_path: Path) -> None:
    """SPEC §1: exit 0 when a new kinerja.duckdb was published. Prefect's API going away
    after the swap (the temporary server of a busy machine stops answering) failed the flow
    run: the command said nothing was published, and exited 5, over a new database."""
    export = tmp_path / "landing" / "6204" / "ppid" / "register.csv"
    export.parent.mkdir(parents=True)
    export.write_text(
        "No Registrasi,Tanggal Permohonan,Tanggal Pemberitahuan Tertulis\n"
        "001,03/03/2025,05/03/2025\n"
    )
    warehouse = tmp_path / "wh"
    upstream = urlsplit(api_url)
    relay = Cuttable((str(upstream.hostname), int(upstream.port or 80)))
    database = WarehouseLayout(warehouse).published

    def cut_once_published() -> None:
        while not relay.is_cut.wait(0.02):
            if database.exists():
                relay.cut()

    threading.Thread(target=cut_once_published, daemon=True).start()
    try:
        done = iku(
            upstream._replace(netloc=f"127.0.0.1:{relay.port}").geturl(), "refresh",
            "--landing", str(tmp_path / "landing"), "--warehouse", str(warehouse),
            "--as-of", AS_OF, IKU_PII_KEY="k", PREFECT_CLIENT_MAX_RETRIES="0",
        )  # fmt: skip
    finally:
        relay.close()
    assert done.returncode == 0, done.stderr
    [record] = runs.records(warehouse)
    assert record["status"] == "diterbitkan"
    assert f"Diterbitkan: {database} (run {record['run_id']}, posisi {AS_OF})" in done.stdout
    assert "run berhenti setelah database diterbitkan" in done.stdout
    assert "IKU-3" in done.stdout  # the table of what was published
    assert "Laporan LKjIP" not in done.stdout  # not known: the report step may not have run


def test_a_refused_flow_run_is_recorded_too(
    prefect_backend: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A deployment run gets its parameters from the API, not from the CLI's checks: a bad
    as-of or a missing key still ends in a record that `iku status` shows."""
    from datetime import date

    from flows.refresh import refresh
    from warehouse.pii import MissingKeyError

    monkeypatch.delenv("IKU_PII_KEY", raising=False)
    (tmp_path / "landing").mkdir()
    with pytest.raises(runs.AsOfError):
        refresh(landing=tmp_path / "landing", warehouse=tmp_path / "wh", as_of=date(9999, 1, 1))
    with pytest.raises(MissingKeyError):
        refresh(landing=tmp_path / "landing", warehouse=tmp_path / "wh", as_of=date(2026, 1, 31))
    records = runs.records(tmp_path / "wh")
    assert [r["status"] for r in records] == ["gagal", "gagal"]
    # The project's own errors speak for themselves: their message, without the type's name.
    causes = sorted(r["kesalahan"] for r in records)
    assert causes[0].startswith("IKU_PII_KEY belum diatur") and "Error" not in causes[0]
    assert causes[1].startswith("tanggal posisi 9999-01-01 di luar rentang")


def test_the_iku_table_is_a_table_artifact(hostile_run) -> None:  # type: ignore[no-untyped-def]
    """The Prefect UI shows the whole-year figures as a table, not as a cut-off code block."""
    from prefect import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
    from prefect.client.schemas.sorting import ArtifactSort

    _, warehouse = hostile_run[:2]
    with get_client(sync_client=True) as client:
        [artifact] = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["iku-capaian"])),
            sort=ArtifactSort.CREATED_DESC,
            limit=1,
        )
    assert artifact.type == "table"
    data = artifact.data if isinstance(artifact.data, list) else json.loads(str(artifact.data))
    con = duckdb.connect(str(warehouse / "kinerja.duckdb"), read_only=True)
    try:
        year = con.execute(
            "SELECT max(tahun) FROM iku.capaian WHERE tahun <= 2026 AND penyebut > 0"
        ).fetchone()[0]  # type: ignore[index]
        expected = con.execute(
            "SELECT kode_iku, pembilang, penyebut FROM iku.capaian "
            "WHERE tahun = ? AND triwulan IS NULL ORDER BY kode_satker, kode_iku",
            [year],
        ).fetchall()
    finally:
        con.close()
    assert [(r["kode_iku"], r["pembilang"], r["penyebut"]) for r in data] == expected
