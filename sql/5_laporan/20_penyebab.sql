-- laporan.penyebab: why items missed, counted, for the analysis of LKjIP chapter III.
-- Grain: one row per kode_satker × tahun × kode_iku × penyebab, over the items counted in
--   the whole year and not on time (iku.butir).
-- penyebab is the item's alasan without what names one item: a part in parentheses (the
--   file and row of a data error) and "n dari m" counts become "sebagian", so that items
--   missed for the same reason are counted together. The items themselves, with their full
--   alasan, are in iku.butir.
create or replace view laporan.penyebab as
with meleset as (
    select
        kode_satker,
        tahun,
        kode_iku,
        trim(
            regexp_replace(
                regexp_replace(alasan, '\s*\([^)]*\)', '', 'g'),
                '\d+ dari \d+',
                'sebagian',
                'g'
            )
        ) as penyebab
    from iku.butir
    where triwulan is null and dihitung and not tepat_waktu
)

select
    kode_satker,
    tahun,
    kode_iku,
    penyebab,
    count(*) as jumlah_butir
from meleset
group by kode_satker, tahun, kode_iku, penyebab
order by kode_satker asc, tahun asc, kode_iku asc, jumlah_butir desc, penyebab asc;

comment on view laporan.penyebab is
'Penyebab butir tidak tepat waktu per satker, tahun dan IKU, dihitung dari alasan butir '
'(iku.butir) untuk analisis LKjIP Bab III.';
comment on column laporan.penyebab.kode_satker is 'Kode satker';
comment on column laporan.penyebab.tahun is 'Tahun';
comment on column laporan.penyebab.kode_iku is 'IKU-1 sampai IKU-6';
comment on column laporan.penyebab.penyebab is
'Alasan tanpa rincian satu butir (file dan baris, jumlah "n dari m" menjadi "sebagian")';
comment on column laporan.penyebab.jumlah_butir is
'Jumlah butir yang dihitung dan tidak tepat waktu';
