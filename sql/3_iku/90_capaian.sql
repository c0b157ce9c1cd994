-- iku.capaian: the analysts' table (SPEC §4 "Analyst interface", a contract).
-- Grain: one row per kode_satker × tahun × triwulan × kode_iku, for every satker and year
--   in antara.tahun_data; triwulan 1-4, and NULL for the whole year; all IKU of ref.iku.
-- penyebut = items counted, pembilang = items counted and on time, 0 when none.
-- The items are iku.butir, which already holds each item in its quarter and its year.
-- realisasi = round(100 * pembilang / penyebut, 2), NULL when penyebut = 0.
-- capaian = round(100 * realisasi / target, 2), computed on hundredths so it stays exact.
create or replace view iku.capaian as
with hitungan as (
    select
        kode_satker,
        tahun,
        triwulan,
        kode_iku,
        count(*) filter (where dihitung and tepat_waktu) as pembilang,
        count(*) filter (where dihitung) as penyebut
    from iku.butir
    group by kode_satker, tahun, triwulan, kode_iku
),

periode as (
    select
        d.kode_satker,
        d.tahun,
        t.triwulan
    from antara.tahun_data as d
    cross join (values (null), (1), (2), (3), (4)) as t (triwulan)
),

angka as (
    select
        p.kode_satker,
        p.tahun,
        p.triwulan,
        i.kode_iku,
        i.indikator,
        i.target,
        coalesce(h.pembilang, 0) as pembilang,
        coalesce(h.penyebut, 0) as penyebut,
        antara.persen(coalesce(h.pembilang, 0), coalesce(h.penyebut, 0)) as realisasi
    from periode as p
    cross join ref.iku as i
    left join hitungan as h
        on
            p.kode_satker = h.kode_satker
            and p.tahun = h.tahun
            and p.triwulan is not distinct from h.triwulan
            and i.kode_iku = h.kode_iku
)

select
    cast(kode_satker as varchar) as kode_satker,
    cast(tahun as integer) as tahun,
    cast(triwulan as integer) as triwulan,
    cast(kode_iku as varchar) as kode_iku,
    cast(indikator as varchar) as indikator,
    cast(target as decimal(5, 2)) as target,  -- noqa: RF04
    cast(pembilang as bigint) as pembilang,
    cast(penyebut as bigint) as penyebut,
    cast(realisasi as decimal(5, 2)) as realisasi,
    cast(
        antara.persen(cast(realisasi * 100 as bigint), cast(target * 100 as bigint))
        as decimal(9, 2)
    ) as capaian
from angka
order by kode_satker, tahun, triwulan nulls first, kode_iku;

comment on view iku.capaian is
'Capaian IKU per satker, tahun, triwulan (kosong = setahun) dan IKU, untuk setiap tahun '
'yang memiliki data. realisasi = 100 x pembilang / penyebut (2 desimal, kosong bila '
'penyebut 0); capaian = 100 x realisasi / target.';
comment on column iku.capaian.kode_satker is 'Kode satker, mis. 6204';
comment on column iku.capaian.tahun is 'Tahun';
comment on column iku.capaian.triwulan is 'Triwulan 1 sampai 4; kosong (NULL) = setahun penuh';
comment on column iku.capaian.kode_iku is 'Kode IKU, IKU-1 sampai IKU-6';
comment on column iku.capaian.indikator is 'Teks indikator kinerja utama (dokumen IKU)';
comment on column iku.capaian.target is 'Target dalam persen (ref.iku)';
comment on column iku.capaian.pembilang is
'Jumlah butir yang dihitung dan tepat waktu (rincian di view iku.iku1_tahapan sampai '
'iku.iku6_kpps; IKU-5: iku.iku5_pejabat)';
comment on column iku.capaian.penyebut is
'Jumlah butir yang dihitung: sudah selesai, atau batas waktunya sebelum tanggal posisi';
comment on column iku.capaian.realisasi is
'Realisasi dalam persen: 100 x pembilang / penyebut, 2 desimal; kosong bila penyebut 0';
comment on column iku.capaian.capaian is
'Capaian dalam persen dari target: 100 x realisasi / target, 2 desimal; kosong bila '
'realisasi kosong';
