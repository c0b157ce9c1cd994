-- iku.tahun_data: the years that have data, per satker, and the sources they come from.
-- It fixes the years of iku.capaian (every such year gets the full grid of quarters × IKU)
-- and the years for which IKU-4 items (desa × quarter) exist.
-- The year of a row is the year of the tanggal acuan of the item it feeds (SPEC §4):
-- tahapan: Jadwal Selesai; ppid: Tanggal Permohonan; keuangan: Batas Waktu; tps and siakba:
-- the KPPS inauguration deadline of their election; logistik, pemilih, sakip: Tahun.
-- wilayah has no year and the IKU-4 items are derived from it, so IKU-4 alone never adds a
-- year: a year without any export stays out of the report instead of showing only overdue
-- PDPB quarters (choice, see iku.iku4_pemilih).
create or replace view iku.tahun_data as
with baris as (
    select
        kode_satker,
        year(jadwal_selesai) as tahun,
        'tahapan' as sumber
    from staging.tahapan
    union all
    select
        kode_satker,
        tahun,
        'logistik' as sumber
    from staging.logistik
    union all
    select
        kode_satker,
        year(tanggal_permohonan) as tahun,
        'ppid' as sumber
    from staging.ppid
    union all
    select
        kode_satker,
        tahun,
        'pemilih' as sumber
    from staging.pemilih
    union all
    select
        kode_satker,
        year(batas_waktu) as tahun,
        'keuangan' as sumber
    from staging.keuangan
    union all
    select
        kode_satker,
        tahun,
        'sakip' as sumber
    from staging.sakip
    union all
    select
        t.kode_satker,
        year(p.batas_pelantikan_kpps) as tahun,
        'tps' as sumber
    from staging.tps as t
    inner join ref.pemilihan as p on t.jenis_pemilihan = p.jenis_pemilihan
    union all
    select
        s.kode_satker,
        year(p.batas_pelantikan_kpps) as tahun,
        'siakba' as sumber
    from staging.siakba as s
    inner join ref.pemilihan as p on s.jenis_pemilihan = p.jenis_pemilihan
)

select
    kode_satker,
    cast(tahun as integer) as tahun,
    string_agg(distinct sumber, ', ' order by sumber) as sumber
from baris
group by kode_satker, tahun;

comment on view iku.tahun_data is
'Tahun yang memiliki data per satker, beserta sumbernya. Menentukan tahun di iku.capaian '
'dan tahun butir IKU-4. Tahun baris = tahun tanggal acuan butir yang diisinya.';
comment on column iku.tahun_data.kode_satker is 'Kode satker, mis. 6204';
comment on column iku.tahun_data.tahun is 'Tahun yang memiliki data';
comment on column iku.tahun_data.sumber is
'Sumber (tabel staging) yang memiliki data pada tahun ini, dipisah koma';
