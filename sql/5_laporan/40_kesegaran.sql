-- laporan.kesegaran: the data's reliability per source: how many files, the newest export and
-- its age on the as-of date, and whether it is older than the source's expected interval
-- (the freshness warning of dq.issues).
-- Grain: one row per kode_satker × sumber with at least one export read by this run.
create or replace view laporan.kesegaran as
with terlambat as (
    select distinct
        kode_satker,
        source
    from dq.issues
    where rule = 'tidak_ada_ekspor_baru'
)

select
    e.kode_satker,
    e.sumber,
    count(*) as jumlah_file,
    count(*) filter (where e.ditolak) as file_ditolak,
    sum(e.baris_dibaca) as baris_dibaca,
    sum(e.baris_dikarantina) as baris_dikarantina,
    -- ties: the later file name (SPEC §2), so that every run names the same file
    arg_max(e.nama_file, (e.waktu_file, e.nama_file)) as file_terbaru,
    max(e.waktu_file) as waktu_file_terbaru,
    any_value(p.tanggal_posisi) - cast(max(e.waktu_file) as date) as umur_hari,
    bool_or(t.source is not null) as terlambat
from laporan.ekspor as e
cross join ref.parameter as p
left join terlambat as t on e.kode_satker = t.kode_satker and e.sumber = t.source
group by e.kode_satker, e.sumber
order by e.kode_satker, e.sumber;

comment on view laporan.kesegaran is
'Keandalan data per satker dan sumber: jumlah file, file ditolak, baris dikarantina, ekspor '
'terbaru dan umurnya pada tanggal posisi.';
comment on column laporan.kesegaran.kode_satker is 'Kode satker';
comment on column laporan.kesegaran.sumber is 'Sumber';
comment on column laporan.kesegaran.jumlah_file is 'File ekspor yang dibaca run ini';
comment on column laporan.kesegaran.file_ditolak is 'File yang ditolak seluruhnya';
comment on column laporan.kesegaran.baris_dibaca is 'Baris data yang dibaca';
comment on column laporan.kesegaran.baris_dikarantina is 'Baris dikarantina';
comment on column laporan.kesegaran.file_terbaru is 'Nama file ekspor terbaru';
comment on column laporan.kesegaran.waktu_file_terbaru is 'Waktu modifikasi ekspor terbaru';
comment on column laporan.kesegaran.umur_hari is
'Umur ekspor terbaru pada tanggal posisi, dalam hari';
comment on column laporan.kesegaran.terlambat is
'Ekspor terbaru lebih tua dari interval yang diharapkan sumbernya (peringatan kesegaran)';
