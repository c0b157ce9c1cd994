-- meta: which run built this database, and every export it read (filled by warehouse.build).
create schema if not exists meta;
create table if not exists meta.run (
    run_id varchar, tanggal_posisi date, dimulai_pada timestamp, mode_demo boolean
);
comment on table meta.run is 'Run yang membangun database ini';
comment on column meta.run.run_id is 'Pengenal run';
comment on column meta.run.tanggal_posisi is 'Tanggal posisi data (--as-of) yang dipakai IKU';
comment on column meta.run.dimulai_pada is 'Waktu run dimulai (UTC)';
comment on column meta.run.mode_demo is 'Benar bila dibangun dari data demo dengan kunci demo';
create table if not exists meta.ekspor (
    kode_satker varchar, sumber varchar, nama_file varchar, sha256 varchar, ukuran_byte bigint,
    waktu_file timestamp, diterima_pada timestamp, baris_dibaca bigint, baris_valid bigint,
    ditolak boolean
);
comment on table meta.ekspor is
'Setiap file ekspor di arsip riwayat yang dibaca untuk database ini';
comment on column meta.ekspor.kode_satker is 'Kode satker (folder landing)';
comment on column meta.ekspor.sumber is 'Sumber data (folder landing)';
comment on column meta.ekspor.nama_file is 'Nama file saat mendarat';
comment on column meta.ekspor.sha256 is 'Sidik sha256 isi file (alamat di arsip riwayat)';
comment on column meta.ekspor.ukuran_byte is 'Ukuran file dalam byte';
comment on column meta.ekspor.waktu_file is
'Waktu modifikasi file (UTC); yang terbaru menang per kunci';
comment on column meta.ekspor.diterima_pada is 'Waktu file masuk arsip riwayat (UTC)';
comment on column meta.ekspor.baris_dibaca is 'Jumlah baris data yang dibaca';
comment on column meta.ekspor.baris_valid is 'Jumlah baris tanpa kesalahan';
comment on column meta.ekspor.ditolak is 'Benar bila seluruh file ditolak';
create table if not exists meta.staging (sumber varchar, definisi varchar, baris bigint);
comment on table meta.staging is
'Jumlah baris setiap tabel staging.<sumber> dalam database ini, dihitung sekali saat dibangun '
'(dipakai audit.baris_terhitung dan dq.run.baris_staging)';
comment on column meta.staging.sumber is 'Sumber data (tabel staging.<sumber>)';
comment on column meta.staging.definisi is
'Sidik (md5) definisi view staging.<sumber> saat dihitung: hitungan sumber yang baris mentahnya '
'dipakai ulang dari database terbit sebelumnya dipakai ulang selama definisi ini sama';
comment on column meta.staging.baris is 'Jumlah baris staging.<sumber>';
create table if not exists meta.muatan (sumber varchar, bagian varchar, dipakai_ulang boolean);
comment on table meta.muatan is
'Berkas Parquet yang dimuat ke mentah.<sumber>; tabel dengan berkas sama dipakai ulang';
comment on column meta.muatan.sumber is 'Sumber data (tabel mentah.<sumber>)';
comment on column meta.muatan.bagian is
'Nama berkas Parquet (sidik ekspor, versi kode, keputusan): nama sama, isi sama';
comment on column meta.muatan.dipakai_ulang is
'Benar bila mentah.<sumber> disalin dari database sebelumnya (berkasnya sama), tidak dimuat ulang';
