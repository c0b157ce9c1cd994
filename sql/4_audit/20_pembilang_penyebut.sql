-- audit.pembilang_penyebut: 0 <= pembilang <= penyebut in iku.capaian (SPEC §4).
-- Grain: one row per row of iku.capaian that breaks it.
create or replace view audit.pembilang_penyebut as
select
    kode_satker,
    tahun,
    triwulan,
    kode_iku,
    pembilang,
    penyebut
from iku.capaian
where
    pembilang is null
    or penyebut is null
    or pembilang < 0
    or pembilang > penyebut;

comment on view audit.pembilang_penyebut is
'Audit: di iku.capaian pembilang tidak kosong, tidak negatif, dan tidak melebihi penyebut. '
'Baris di sini = yang melanggar.';
