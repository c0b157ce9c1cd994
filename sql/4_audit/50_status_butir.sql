-- audit.status_butir: the common item status holds in every detail view: an item on time
-- is counted, an item known only from quarantined rows is never on time, and an item that
-- is not on time says why.
-- Grain: one row per item that breaks it.
create or replace view audit.status_butir as
with butir as (
    select
        kode_iku,
        kode_satker,
        tahun,
        triwulan,
        butir as kunci,
        dihitung,
        tepat_waktu,
        data_tidak_valid,
        alasan
    from iku.butir
    -- each item once: the whole-year rows repeat the quarter items, except IKU-5's own
    where triwulan is not null or kode_iku = 'IKU-5'
    union all
    select
        kode_iku,
        kode_satker,
        tahun,
        triwulan,
        concat_ws(' | ', nip, jenis_laporan, periode_laporan) as kunci,
        dihitung,
        tepat_waktu,
        data_tidak_valid,
        alasan
    from iku.iku5_keuangan
)

select
    *,
    case
        when dihitung is null or tepat_waktu is null then 'dihitung atau tepat_waktu kosong'
        when tepat_waktu and not dihitung then 'tepat waktu tetapi tidak dihitung'
        when tepat_waktu and data_tidak_valid then 'data tidak valid tetapi tepat waktu'
        else 'tidak tepat waktu tanpa alasan'
    end as masalah
from butir
where
    dihitung is null
    or tepat_waktu is null
    or (tepat_waktu and not dihitung)
    or (tepat_waktu and data_tidak_valid)
    or (not tepat_waktu and alasan is null);

comment on view audit.status_butir is
'Audit: status butir konsisten di setiap view rincian: yang tepat waktu juga dihitung, '
'butir dari baris dikarantina tidak pernah tepat waktu, dan yang tidak tepat waktu punya '
'alasan. Baris di sini = butir yang melanggar.';
