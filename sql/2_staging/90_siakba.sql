-- staging.siakba: the clean typed table of source siakba (SPEC §2).
-- Grain: one row per kode_satker × jenis_pemilihan × nik_pseudonim.
-- The newest valid row wins: of all rows that passed the checks (mentah.siakba.sah), the
-- one from the file with the newest modification time, ties to the later file name. Exports
-- are snapshots, so a newer file restates older rows; a quarantined row never replaces a
-- valid one.
create or replace view staging.siakba as
select * exclude (sah, aturan, pesan, terbaca)
from mentah.siakba
where sah
qualify row_number() over (
    partition by
        kode_satker,
        jenis_pemilihan,
        nik_pseudonim
    order by waktu_file desc, nama_file desc, nomor_baris desc
) = 1;

comment on view staging.siakba is
'Anggota KPPS hasil seleksi (SIAKBA) per TPS: baris sah terbaru per kunci (jenis_pemilihan, '
'nik_pseudonim). Sumber: SIAKBA (Sistem Informasi Anggota KPU dan Badan Adhoc); dipakai untuk '
'IKU-6.';
