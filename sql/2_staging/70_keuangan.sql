-- staging.keuangan: the clean typed table of source keuangan (SPEC §2).
-- Grain: one row per kode_satker × nip × jenis_laporan × periode_laporan.
-- The newest valid row wins: of all rows that passed the checks (mentah.keuangan.sah), the
-- one from the file with the newest modification time, ties to the later file name, then to
-- the version landed later (an export overwritten with its time kept). Exports are snapshots,
-- so a newer file restates older rows; a quarantined row never replaces a valid one.
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
    order by waktu_file desc, nama_file desc, diterima_pada desc, nomor_baris desc
) = 1;

comment on view staging.keuangan is
'Penyampaian laporan pertanggungjawaban pejabat perbendaharaan: baris sah terbaru per kunci (nip,'
' jenis_laporan, periode_laporan). Sumber: Register LPJ/SPJ bendahara dan pejabat perbendaharaan;'
' dipakai untuk IKU-5.';


-- karantina.keuangan: items of IKU-5 known only from quarantined rows (SPEC §4).
-- Grain: one row per kode_satker × nip × jenis_laporan × periode_laporan
-- that has no valid row at all but a quarantined row whose key and item dates can be read
-- (mentah.keuangan.terbaca): the newest such row, as above. The IKU counts it once due and
-- never on time, with the data error as its reason.
create or replace view karantina.keuangan as
with baris as (
    select
        *,
        bool_or(sah) over (
            partition by
                kode_satker,
                nip,
                jenis_laporan,
                periode_laporan
        ) as kunci_ada_yang_sah
    from mentah.keuangan
)

select
    * exclude (sah, aturan, pesan, terbaca, kunci_ada_yang_sah),
    antara.alasan_data_tidak_valid(aturan, nama_file, nomor_baris) as alasan_data
from baris
where not sah and terbaca and not kunci_ada_yang_sah
qualify row_number() over (
    partition by
        kode_satker,
        nip,
        jenis_laporan,
        periode_laporan
    order by waktu_file desc, nama_file desc, diterima_pada desc, nomor_baris desc
) = 1;

comment on view karantina.keuangan is
'Butir IKU-5 yang hanya dikenal dari baris yang dikarantina: kunci dan tanggalnya '
'terbaca, tetapi tidak ada baris sah. Dihitung bila jatuh tempo, tidak pernah tepat waktu.';
comment on column karantina.keuangan.alasan_data is
'Data tidak valid: aturan yang dilanggar (file, baris)';
