-- staging.pemilih: the clean typed table of source pemilih (SPEC §2).
-- Grain: one row per kode_satker × tahun × triwulan × kode_desa.
-- The newest valid row wins: of all rows that passed the checks (mentah.pemilih.sah), the
-- one from the file with the newest modification time, ties to the later file name, then to
-- the version landed later (an export overwritten with its time kept). Exports are snapshots,
-- so a newer file restates older rows; a quarantined row never replaces a valid one.
create or replace view staging.pemilih as
select * exclude (sah, aturan, pesan, terbaca)
from mentah.pemilih
where sah
qualify row_number() over (
    partition by
        kode_satker,
        tahun,
        triwulan,
        kode_desa
    order by waktu_file desc, nama_file desc, diterima_pada desc, nomor_baris desc
) = 1;

comment on view staging.pemilih is
'Rekapitulasi pemutakhiran data pemilih berkelanjutan (PDPB) per desa/kelurahan: baris sah '
'terbaru per kunci (tahun, triwulan, kode_desa). Sumber: SIDALIH (rekapitulasi PDPB per '
'triwulan); dipakai untuk IKU-4.';


-- karantina.pemilih: the desa-quarters of IKU-4 whose rows are all quarantined (SPEC §4).
-- Grain: one row per kode_satker × tahun × triwulan × kode_desa that has no valid row but a
-- quarantined row whose key can be read: the newest such row, as above. The items of IKU-4
-- come from reference data (every desa of the satker × quarter), so this adds no item; it
-- names the data error of one that is not done.
create or replace view karantina.pemilih as
with baris as (
    select
        *,
        bool_or(sah) over (
            partition by
                kode_satker,
                tahun,
                triwulan,
                kode_desa
        ) as kunci_ada_yang_sah
    from mentah.pemilih
)

select
    kode_satker,
    tahun,
    triwulan,
    kode_desa,
    antara.alasan_data_tidak_valid(aturan, nama_file, nomor_baris) as alasan_data
from baris
where
    not sah
    and not kunci_ada_yang_sah
    and tahun is not null
    and triwulan is not null
    and kode_desa is not null
qualify row_number() over (
    partition by
        kode_satker,
        tahun,
        triwulan,
        kode_desa
    order by waktu_file desc, nama_file desc, diterima_pada desc, nomor_baris desc
) = 1;

comment on view karantina.pemilih is
'Desa-triwulan IKU-4 yang barisnya hanya ada yang dikarantina: alasan kesalahan datanya '
'(butirnya sendiri berasal dari data referensi desa dan jadwal PDPB).';
comment on column karantina.pemilih.alasan_data is
'Kesalahan data: aturan yang dilanggar, file dan nomor barisnya';
