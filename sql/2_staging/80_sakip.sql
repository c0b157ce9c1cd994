-- staging.sakip: the clean typed table of source sakip (SPEC §2).
-- Grain: one row per kode_satker × tahun.
-- The newest valid row wins: of all rows that passed the checks (mentah.sakip.sah), the
-- one from the file with the newest modification time, ties to the later file name, then to
-- the version landed later (an export overwritten with its time kept). Exports are snapshots,
-- so a newer file restates older rows; a quarantined row never replaces a valid one.
create or replace view staging.sakip as
select * exclude (sah, aturan, pesan, terbaca)
from mentah.sakip
where sah
qualify row_number() over (
    partition by
        kode_satker,
        tahun
    order by waktu_file desc, nama_file desc, diterima_pada desc, nomor_baris desc
) = 1;

comment on view staging.sakip is
'Nilai evaluasi SAKIP (akuntabilitas kinerja) per tahun: baris sah terbaru per kunci (tahun). '
'Sumber: Hasil evaluasi/reviu mandiri SAKIP; dipakai untuk IKU-5 (pendamping).';
