-- audit.realisasi: realisasi lies between 0 and 100, and is NULL exactly when penyebut = 0
-- (SPEC §4: realisasi = round(100 * pembilang / penyebut, 2), NULL when penyebut = 0).
-- Grain: one row per row of iku.capaian that breaks it.
create or replace view audit.realisasi as
select
    kode_satker,
    tahun,
    triwulan,
    kode_iku,
    pembilang,
    penyebut,
    realisasi,
    capaian
from iku.capaian
where
    (penyebut = 0) != (realisasi is null)
    or realisasi < 0
    or realisasi > 100
    or (realisasi is null) != (capaian is null);

comment on view audit.realisasi is
'Audit: realisasi antara 0 dan 100, kosong tepat bila penyebut 0, dan capaian kosong tepat '
'bila realisasi kosong. Baris di sini = yang melanggar.';
