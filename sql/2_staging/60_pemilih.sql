-- staging.pemilih: the clean typed table of source pemilih (SPEC §2).
-- Grain: one row per kode_satker × tahun × triwulan × kode_desa.
-- The newest valid row wins: of all rows that passed the checks (mentah.pemilih.sah), the
-- one from the file with the newest modification time, ties to the later file name. Exports
-- are snapshots, so a newer file restates older rows; a quarantined row never replaces a
-- valid one.
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
    order by waktu_file desc, nama_file desc, nomor_baris desc
) = 1;

comment on view staging.pemilih is
'Rekapitulasi pemutakhiran data pemilih berkelanjutan (PDPB) per desa/kelurahan: baris sah '
'terbaru per kunci (tahun, triwulan, kode_desa). Sumber: SIDALIH (rekapitulasi PDPB per '
'triwulan); dipakai untuk IKU-4.';
