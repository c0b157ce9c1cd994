-- staging.keuangan: the clean typed table of source keuangan (SPEC §2).
-- Grain: one row per kode_satker × nip × jenis_laporan × periode_laporan.
-- The newest valid row wins: of all rows that passed the checks (mentah.keuangan.sah), the
-- one from the file with the newest modification time, ties to the later file name. Exports
-- are snapshots, so a newer file restates older rows; a quarantined row never replaces a
-- valid one.
create or replace view staging.keuangan as
select * exclude (sah, aturan, pesan, terbaca)
from mentah.keuangan
where sah
qualify row_number() over (
    partition by
        kode_satker,
        nip,
        jenis_laporan,
        periode_laporan
    order by waktu_file desc, nama_file desc, nomor_baris desc
) = 1;

comment on view staging.keuangan is
'Penyampaian laporan pertanggungjawaban pejabat perbendaharaan: baris sah terbaru per kunci (nip, jenis_laporan, periode_laporan). Sumber: Register LPJ/SPJ bendahara dan pejabat perbendaharaan; '
'dipakai untuk IKU-5.';

-- karantina.keuangan: items of IKU-5 known only from quarantined rows (SPEC §4).
-- Grain: one row per kode_satker × nip × jenis_laporan × periode_laporan that has no valid row at all but a quarantined row whose
-- key and item dates can be read (mentah.keuangan.terbaca); the newest such row, as above.
-- The IKU counts it once due and never on time, with alasan naming the data error.
create or replace view karantina.keuangan as
select
    * exclude (sah, aturan, pesan, terbaca),
    antara.alasan_data_tidak_valid(aturan, nama_file, nomor_baris) as alasan_data
from mentah.keuangan as m
where
    not sah
    and terbaca
    and not exists (
        from mentah.keuangan as v
        where
            v.sah
            and v.kode_satker = m.kode_satker
        and v.nip = m.nip
        and v.jenis_laporan = m.jenis_laporan
        and v.periode_laporan = m.periode_laporan
    )
qualify row_number() over (
    partition by
        kode_satker,
        nip,
        jenis_laporan,
        periode_laporan
    order by waktu_file desc, nama_file desc, nomor_baris desc
) = 1;

comment on view karantina.keuangan is
'Butir IKU-5 yang hanya dikenal dari baris yang dikarantina: kunci dan tanggalnya '
'terbaca, tetapi tidak ada baris sah. Dihitung bila jatuh tempo, tidak pernah tepat waktu.';
comment on column karantina.keuangan.alasan_data is
'Data tidak valid: aturan yang dilanggar (file, baris)';
