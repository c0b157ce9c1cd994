-- iku.rekap_provinsi and iku.rekap_nasional: the roll-ups KPU Provinsi and KPU RI compare
-- (SPEC §8): per IKU and period, how many satkers have data, report (penyebut > 0) and meet
-- the target, and how their capaian is spread.
-- Grain: one row per kode_provinsi × tahun × triwulan × kode_iku (rekap_provinsi), and per
--   tahun × triwulan × kode_iku (rekap_nasional), for the periods in iku.capaian.
-- A province's satkers are its KPU Kabupaten/Kota and the KPU Provinsi itself
-- (antara.satker); the national roll-up counts every satker. A satker with data whose code
-- is not in the national list (a kabupaten/kota code newer than the list, or one an admin
-- added to ref.satker) counts in the province its first two digits name, as it counts in the
-- nation: the provinces and KPU RI then add up to the national roll-up. The quartiles are
-- over the satkers that report (NULL when none does).
create or replace view iku.rekap_provinsi as
with per_satker as (
    select
        c.*,
        p.kode_provinsi,
        p.nama_provinsi
    from iku.capaian as c
    left join antara.satker as s on c.kode_satker = s.kode_satker
    inner join ref.provinsi as p
        on p.kode_provinsi = coalesce(
            s.kode_provinsi,
            case when length(c.kode_satker) = 4 then left(c.kode_satker, 2) end
        )
),

terdaftar as (
    select
        kode_provinsi,
        count(*) as satker_terdaftar
    from antara.satker
    where kode_provinsi is not null
    group by kode_provinsi
)

select
    p.kode_provinsi,
    any_value(p.nama_provinsi) as nama_provinsi,
    p.tahun,
    p.triwulan,
    p.kode_iku,
    any_value(p.indikator) as indikator,
    any_value(p.target) as target,  -- noqa: RF04
    any_value(t.satker_terdaftar) as satker_terdaftar,
    count(*) as satker_berdata,
    count(*) filter (where p.penyebut > 0) as satker_melapor,
    count(*) filter (where p.realisasi >= p.target) as satker_mencapai_target,
    min(p.capaian) as capaian_min,
    cast(quantile_cont(p.capaian, 0.25) as decimal(9, 2)) as capaian_kuartil_1,
    cast(median(p.capaian) as decimal(9, 2)) as capaian_median,
    cast(quantile_cont(p.capaian, 0.75) as decimal(9, 2)) as capaian_kuartil_3,
    max(p.capaian) as capaian_maks,
    cast(avg(p.capaian) as decimal(9, 2)) as capaian_rata_rata
from per_satker as p
inner join terdaftar as t on p.kode_provinsi = t.kode_provinsi
group by p.kode_provinsi, p.tahun, p.triwulan, p.kode_iku
order by p.kode_provinsi, p.tahun, p.triwulan nulls first, p.kode_iku;

comment on view iku.rekap_provinsi is
'Rekap per provinsi, tahun, triwulan (kosong = setahun) dan IKU: jumlah satker (KPU '
'Kabupaten/Kota dan KPU Provinsi) yang berdata, melapor dan mencapai target, dan sebaran '
'capaiannya.';
comment on column iku.rekap_provinsi.kode_provinsi is 'Kode provinsi (Kemendagri)';
comment on column iku.rekap_provinsi.nama_provinsi is 'Nama provinsi';
comment on column iku.rekap_provinsi.tahun is 'Tahun';
comment on column iku.rekap_provinsi.triwulan is 'Triwulan 1 sampai 4; kosong (NULL) = setahun';
comment on column iku.rekap_provinsi.kode_iku is 'IKU-1 sampai IKU-6';
comment on column iku.rekap_provinsi.indikator is 'Teks indikator';
comment on column iku.rekap_provinsi.target is 'Target dalam persen';
comment on column iku.rekap_provinsi.satker_terdaftar is
'Satker provinsi ini menurut daftar Kemendagri: KPU Kabupaten/Kota ditambah KPU Provinsi';
comment on column iku.rekap_provinsi.satker_berdata is 'Satker yang memiliki data tahun ini';
comment on column iku.rekap_provinsi.satker_melapor is
'Satker dengan butir yang dihitung (penyebut > 0)';
comment on column iku.rekap_provinsi.satker_mencapai_target is 'Satker dengan realisasi >= target';
comment on column iku.rekap_provinsi.capaian_min is
'Capaian terendah di antara satker yang melapor';
comment on column iku.rekap_provinsi.capaian_kuartil_1 is 'Kuartil pertama capaian';
comment on column iku.rekap_provinsi.capaian_median is 'Median capaian';
comment on column iku.rekap_provinsi.capaian_kuartil_3 is 'Kuartil ketiga capaian';
comment on column iku.rekap_provinsi.capaian_maks is 'Capaian tertinggi';
comment on column iku.rekap_provinsi.capaian_rata_rata is 'Rata-rata capaian satker yang melapor';

create or replace view iku.rekap_nasional as
select
    c.tahun,
    c.triwulan,
    c.kode_iku,
    any_value(c.indikator) as indikator,
    any_value(c.target) as target,  -- noqa: RF04
    (select count(*) from antara.satker) as satker_terdaftar,
    count(*) as satker_berdata,
    count(*) filter (where c.penyebut > 0) as satker_melapor,
    count(*) filter (where c.realisasi >= c.target) as satker_mencapai_target,
    min(c.capaian) as capaian_min,
    cast(quantile_cont(c.capaian, 0.25) as decimal(9, 2)) as capaian_kuartil_1,
    cast(median(c.capaian) as decimal(9, 2)) as capaian_median,
    cast(quantile_cont(c.capaian, 0.75) as decimal(9, 2)) as capaian_kuartil_3,
    max(c.capaian) as capaian_maks,
    cast(avg(c.capaian) as decimal(9, 2)) as capaian_rata_rata
from iku.capaian as c
group by c.tahun, c.triwulan, c.kode_iku
order by c.tahun, c.triwulan nulls first, c.kode_iku;

comment on view iku.rekap_nasional is
'Rekap nasional per tahun, triwulan (kosong = setahun) dan IKU: jumlah satker yang berdata, '
'melapor dan mencapai target, dan sebaran capaiannya.';
comment on column iku.rekap_nasional.tahun is 'Tahun';
comment on column iku.rekap_nasional.triwulan is 'Triwulan 1 sampai 4; kosong (NULL) = setahun';
comment on column iku.rekap_nasional.kode_iku is 'IKU-1 sampai IKU-6';
comment on column iku.rekap_nasional.indikator is 'Teks indikator';
comment on column iku.rekap_nasional.target is 'Target dalam persen';
comment on column iku.rekap_nasional.satker_terdaftar is
'Satker KPU menurut daftar: KPU RI, KPU Provinsi dan KPU Kabupaten/Kota';
comment on column iku.rekap_nasional.satker_berdata is 'Satker yang memiliki data tahun ini';
comment on column iku.rekap_nasional.satker_melapor is
'Satker dengan butir yang dihitung (penyebut > 0)';
comment on column iku.rekap_nasional.satker_mencapai_target is 'Satker dengan realisasi >= target';
comment on column iku.rekap_nasional.capaian_min is
'Capaian terendah di antara satker yang melapor';
comment on column iku.rekap_nasional.capaian_kuartil_1 is 'Kuartil pertama capaian';
comment on column iku.rekap_nasional.capaian_median is 'Median capaian';
comment on column iku.rekap_nasional.capaian_kuartil_3 is 'Kuartil ketiga capaian';
comment on column iku.rekap_nasional.capaian_maks is 'Capaian tertinggi';
comment on column iku.rekap_nasional.capaian_rata_rata is 'Rata-rata capaian satker yang melapor';
