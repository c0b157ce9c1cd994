-- dq: the data-quality record (filled by warehouse.build from <warehouse>/runs): every run,
-- every finding and every expectation result; dq.issues (a contract, SPEC §3) shows the run
-- that built this database; dq.audit the audits it passed (warehouse.audit).
create schema if not exists dq;
create table if not exists dq.run (
    run_id varchar, dimulai_pada timestamp, selesai_pada timestamp, tanggal_posisi date,
    mode_demo boolean, status varchar, file_baru bigint, file_dibaca bigint, file_ditolak bigint,
    baris_staging bigint, baris_dikarantina bigint, peringatan bigint, alert varchar
);
comment on table dq.run is
'Riwayat setiap run: kapan, berapa file dan baris, temuan, diterbitkan atau tidak, alert';
comment on column dq.run.run_id is 'Pengenal run';
comment on column dq.run.dimulai_pada is 'Waktu run dimulai (UTC)';
comment on column dq.run.selesai_pada is 'Waktu run selesai (UTC); kosong bila run terhenti';
comment on column dq.run.tanggal_posisi is 'Tanggal posisi (--as-of) run';
comment on column dq.run.mode_demo is 'Benar bila run memakai data dan kunci demo';
comment on column dq.run.status is
'berjalan, dibangun, diterbitkan, gagal, atau terhenti (run yang mati di tengah jalan)';
comment on column dq.run.file_baru is 'Jumlah file ekspor baru yang mendarat pada run ini';
comment on column dq.run.file_dibaca is 'Jumlah file ekspor di arsip riwayat yang dibaca';
comment on column dq.run.file_ditolak is 'Jumlah file yang ditolak seluruhnya';
comment on column dq.run.baris_staging is 'Jumlah baris di semua tabel staging';
comment on column dq.run.baris_dikarantina is 'Jumlah baris yang dikarantina (error)';
comment on column dq.run.peringatan is 'Jumlah temuan berstatus warning';
comment on column dq.run.alert is 'Hasil pengiriman ringkasan ke admin per kanal (email, webhook)';
create table if not exists dq.issue_history (
    run_id varchar, source varchar, kode_satker varchar, file_name varchar, sha256 varchar,
    row_number bigint, column_name varchar, rule varchar, severity varchar, message varchar,
    file_baru boolean
);
comment on table dq.issue_history is
'Temuan kualitas data semua run (riwayat); dq.issues memuat run yang membangun database ini';
comment on column dq.issue_history.run_id is 'Run yang menemukan';
comment on column dq.issue_history.source is 'Sumber data';
comment on column dq.issue_history.kode_satker is 'Kode satker';
comment on column dq.issue_history.file_name is 'Nama file ekspor';
comment on column dq.issue_history.sha256 is 'Sidik sha256 file di arsip riwayat';
comment on column dq.issue_history.row_number is
'Nomor baris di file (seperti di Excel); NULL untuk temuan tingkat file';
comment on column dq.issue_history.column_name is 'Kolom yang bermasalah, bila ada';
comment on column dq.issue_history.rule is 'Aturan yang dilanggar';
comment on column dq.issue_history.severity is
'error (baris dikarantina atau file ditolak) atau warning (tetap dimuat)';
comment on column dq.issue_history.message is
'Penjelasan dalam bahasa Indonesia, tanpa data pribadi';
comment on column dq.issue_history.file_baru is 'Benar bila file mendarat pada run itu';
create or replace view dq.issues as
select
    h.source,  -- noqa: RF04
    h.file_name,
    h.row_number,
    h.rule,
    h.severity,
    h.message,
    h.kode_satker,
    h.column_name,
    h.sha256,
    h.file_baru
from dq.issue_history as h
where h.run_id = (select m.run_id from meta.run as m);
comment on view dq.issues is
'Temuan kualitas data run yang membangun database ini: file ditolak, baris dikarantina, '
'peringatan';
create table if not exists dq.validation_history (
    run_id varchar, source varchar, kode_satker varchar, file_name varchar, rule varchar,
    severity varchar, expectation varchar, rows_checked bigint, rows_failed bigint
);
comment on table dq.validation_history is
'Hasil setiap ekspektasi Great Expectations per file per run (riwayat)';
comment on column dq.validation_history.run_id is 'Run yang memeriksa';
comment on column dq.validation_history.source is 'Sumber data';
comment on column dq.validation_history.kode_satker is 'Kode satker';
comment on column dq.validation_history.file_name is 'Nama file ekspor';
comment on column dq.validation_history.rule is 'Aturan';
comment on column dq.validation_history.severity is 'error atau warning';
comment on column dq.validation_history.expectation is 'Jenis ekspektasi Great Expectations';
comment on column dq.validation_history.rows_checked is 'Jumlah baris yang diperiksa';
comment on column dq.validation_history.rows_failed is 'Jumlah baris yang melanggar';
comment on column dq.issues.source is 'Sumber data';
comment on column dq.issues.file_name is 'Nama file ekspor';
comment on column dq.issues.row_number is
'Nomor baris di file (seperti di Excel); NULL untuk temuan tingkat file';
comment on column dq.issues.rule is 'Aturan yang dilanggar';
comment on column dq.issues.severity is
'error (baris dikarantina atau file ditolak) atau warning (tetap dimuat)';
comment on column dq.issues.message is 'Penjelasan dalam bahasa Indonesia, tanpa data pribadi';
comment on column dq.issues.kode_satker is 'Kode satker';
comment on column dq.issues.column_name is 'Kolom yang bermasalah, bila ada';
comment on column dq.issues.sha256 is 'Sidik sha256 file di arsip riwayat';
comment on column dq.issues.file_baru is 'Benar bila file mendarat pada run itu';
create table if not exists dq.audit (
    nama varchar, keterangan varchar, jumlah_baris bigint, lulus boolean, contoh json
);
comment on table dq.audit is
'Hasil audit basis data ini sebelum diterbitkan: setiap audit adalah view audit.<nama> yang '
'barisnya adalah pelanggaran; database hanya diterbitkan bila semua lulus';
comment on column dq.audit.nama is 'Nama audit (view audit.<nama>)';
comment on column dq.audit.keterangan is 'Apa yang diperiksa';
comment on column dq.audit.jumlah_baris is 'Jumlah baris pelanggaran; 0 = lulus';
comment on column dq.audit.lulus is 'Benar bila audit tidak menemukan pelanggaran';
comment on column dq.audit.contoh is 'Beberapa baris pelanggaran pertama (JSON); kosong bila lulus';
