-- staging.wilayah: the clean typed table of source wilayah (SPEC §2).
-- Grain: one row per kode_satker × kode_wilayah.
-- The newest valid row wins: of all rows that passed the checks (mentah.wilayah.sah), the
-- one from the file with the newest modification time, ties to the later file name. Exports
-- are snapshots, so a newer file restates older rows; a quarantined row never replaces a
-- valid one.
create or replace view staging.wilayah as
select * exclude (sah, aturan, pesan, terbaca)
from mentah.wilayah
where sah
qualify row_number() over (
    partition by
        kode_satker,
        kode_wilayah
    order by waktu_file desc, nama_file desc, nomor_baris desc
) = 1;

comment on view staging.wilayah is
'Wilayah administrasi (kode Kemendagri) satker: kabupaten, kecamatan, desa, kelurahan: baris sah '
'terbaru per kunci (kode_wilayah). Sumber: Kepmendagri kode dan data wilayah administrasi '
'pemerintahan; dipakai untuk referensi untuk IKU-4 dan IKU-6.';
