-- antara.tahun_data: the years that have data, per satker (a helper, not for analysts).
-- Grain: one row per kode_satker × tahun.
-- It fixes the years of iku.capaian (every such year gets the full grid of quarters × IKU)
-- and the years for which IKU-4 items (desa × quarter) exist.
-- A year has data when an export has data for it: an item of IKU-1, 2, 3 or 5 falls in it
-- (the year of its tanggal acuan, as the detail views say), a SAKIP evaluation is for it, or
-- a report whose items come from reference data was filed for it: a pemilih row (IKU-4) or a
-- siakba row (IKU-6, the year of its election's inauguration deadline), valid or
-- quarantined, as long as its year can be read: a broken export (a file rejected for too
-- many bad rows) must not take its year, and the year's overdue desa and TPS with it, out
-- of iku.capaian (SPEC §4: a broken export never raises a figure).
-- The items of IKU-4 (desa × quarter) and IKU-6 (TPS) come from the reference lists, which
-- may be the embedded defaults of 6204, so they never add a year themselves: a year without
-- any export stays out of the report instead of showing only overdue PDPB quarters or a TPS
-- list with no KPPS report at all (choice; README "The six IKU").
create or replace view antara.tahun_data as
with baris as (
    select
        kode_satker,
        tahun,
        kode_iku as sumber
    from iku.iku1_tahapan
    union all
    select
        kode_satker,
        tahun,
        kode_iku as sumber
    from iku.iku2_logistik
    union all
    select
        kode_satker,
        tahun,
        kode_iku as sumber
    from iku.iku3_ppid
    union all
    select
        kode_satker,
        tahun,
        kode_iku as sumber
    from iku.iku5_keuangan
    union all
    select
        kode_satker,
        tahun,
        'SAKIP' as sumber
    from iku.sakip
    union all
    select
        kode_satker,
        tahun,
        'pemilih' as sumber
    from mentah.pemilih
    union all
    -- The loaded rows themselves, not staging.siakba (which keeps one valid row per key):
    -- no deduplicating 8.8 M rows at 514 satkers each time this helper is read (IKU-4,
    -- iku.capaian, audit.capaian_lengkap).
    select
        s.kode_satker,
        year(p.batas_pelantikan_kpps) as tahun,
        'siakba' as sumber
    from mentah.siakba as s
    inner join ref.pemilihan as p on s.jenis_pemilihan = p.jenis_pemilihan
)

select
    kode_satker,
    cast(tahun as integer) as tahun,
    string_agg(distinct sumber, ', ' order by sumber) as sumber
from baris
where tahun is not null
group by kode_satker, tahun;

comment on view antara.tahun_data is
'Tahun yang memiliki data per satker: tahun butir IKU (tanggal acuan), evaluasi SAKIP, '
'dan laporan pemilih/siakba. Menentukan tahun di iku.capaian dan tahun butir IKU-4.';
comment on column antara.tahun_data.kode_satker is 'Kode satker, mis. 6204';
comment on column antara.tahun_data.tahun is 'Tahun yang memiliki data';
comment on column antara.tahun_data.sumber is
'Asal data tahun ini (IKU atau sumber), dipisah koma';
