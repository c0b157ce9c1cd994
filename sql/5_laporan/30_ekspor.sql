-- laporan.ekspor: the admins' page, per export file read by this run: what it gave, what was
-- rejected or quarantined and why.
-- Grain: one row per file of meta.ekspor (kode_satker × sumber × nama_file × sha256).
-- baris_diterima: rows that passed the checks (0 for a rejected file); baris_dikarantina:
-- rows kept out of the IKU (dq.quarantine); alasan_ditolak: the file-level errors of a
-- rejected file (dq.issues).
create or replace view laporan.ekspor as
with karantina as (
    select
        kode_satker,
        source,
        file_name,
        count(*) as jumlah
    from dq.quarantine
    group by kode_satker, source, file_name
),

per_file as (
    select
        sha256,
        string_agg(message, '; ' order by rule, message) filter (
            where severity = 'error' and row_number is null
        ) as alasan_ditolak,
        count(*) filter (
            where severity = 'warning' and row_number is not null
        ) as peringatan
    from dq.issues
    group by sha256
)

select
    e.kode_satker,
    e.sumber,
    e.nama_file,
    e.sha256,
    e.waktu_file,
    e.diterima_pada,
    e.baris_dibaca,
    e.ditolak,
    f.alasan_ditolak,
    coalesce(k.jumlah, 0) as baris_dikarantina,
    coalesce(f.peringatan, 0) as peringatan,
    case when e.ditolak then 0 else e.baris_valid end as baris_diterima
from meta.ekspor as e
left join karantina as k
    on
        e.kode_satker = k.kode_satker
        and e.sumber = k.source
        and e.nama_file = k.file_name
left join per_file as f on e.sha256 = f.sha256
order by e.kode_satker, e.sumber, e.waktu_file, e.nama_file;

comment on view laporan.ekspor is
'Halaman kualitas data: per file ekspor yang dibaca run ini, baris dibaca, diterima, '
'dikarantina, ditolak beserta alasannya.';
comment on column laporan.ekspor.kode_satker is 'Kode satker';
comment on column laporan.ekspor.sumber is 'Sumber (aplikasi/ekspor), mis. ppid';
comment on column laporan.ekspor.nama_file is 'Nama file di folder landing';
comment on column laporan.ekspor.sha256 is 'Sidik jari isi file (SHA-256)';
comment on column laporan.ekspor.waktu_file is 'Waktu modifikasi file';
comment on column laporan.ekspor.diterima_pada is 'Waktu file pertama kali diterima';
comment on column laporan.ekspor.baris_dibaca is 'Baris data yang dibaca dari file';
comment on column laporan.ekspor.ditolak is 'Seluruh file ditolak';
comment on column laporan.ekspor.alasan_ditolak is 'Kesalahan tingkat file yang membuatnya ditolak';
comment on column laporan.ekspor.baris_dikarantina is 'Baris dikarantina (tidak dihitung IKU)';
comment on column laporan.ekspor.peringatan is 'Peringatan tingkat baris (baris tetap dimuat)';
comment on column laporan.ekspor.baris_diterima is
'Baris yang lolos pemeriksaan (0 bila file ditolak)';
