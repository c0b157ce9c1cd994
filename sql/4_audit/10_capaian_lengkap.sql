-- audit.capaian_lengkap: the grid of iku.capaian is complete (SPEC §4).
-- Grain: one row per kode_satker × tahun × triwulan × kode_iku that is missing from
--   iku.capaian, present more than once, or present outside the grid. The grid: every
--   satker and year of antara.tahun_data × (whole year, quarters 1-4) × every IKU of ref.iku.
-- An audit returns what is wrong; no rows means it holds (warehouse.audit runs it before
-- publishing).
create or replace view audit.capaian_lengkap as
with grid as (
    select
        d.kode_satker,
        d.tahun,
        t.triwulan,
        i.kode_iku
    from antara.tahun_data as d
    cross join (values (null), (1), (2), (3), (4)) as t (triwulan)
    cross join ref.iku as i
),

ada as (
    select
        kode_satker,
        tahun,
        triwulan,
        kode_iku,
        count(*) as jumlah
    from iku.capaian
    group by kode_satker, tahun, triwulan, kode_iku
)

select
    coalesce(g.kode_satker, a.kode_satker) as kode_satker,
    coalesce(g.tahun, a.tahun) as tahun,
    coalesce(g.triwulan, a.triwulan) as triwulan,
    coalesce(g.kode_iku, a.kode_iku) as kode_iku,
    coalesce(a.jumlah, 0) as jumlah_baris,
    case
        when a.jumlah is null then 'tidak ada di iku.capaian'
        when g.kode_iku is null then 'di luar grid (tahun atau IKU tidak dikenal)'
        else 'lebih dari satu baris'
    end as masalah
from grid as g
full outer join ada as a
    on
        g.kode_satker = a.kode_satker
        and g.tahun = a.tahun
        and g.triwulan is not distinct from a.triwulan
        and g.kode_iku = a.kode_iku
where a.jumlah is null or g.kode_iku is null or a.jumlah > 1;

comment on view audit.capaian_lengkap is
'Audit: iku.capaian memuat tepat satu baris per satker, tahun data, periode (setahun dan '
'triwulan 1-4) dan IKU. Baris di sini = yang hilang, ganda, atau di luar grid.';
