-- staging.tahapan: the clean typed table of source tahapan (SPEC §2).
-- Grain: one row per kode_satker × kode_tahapan.
-- The newest valid row wins: of all rows that passed the checks (mentah.tahapan.sah), the
-- one from the file with the newest modification time, ties to the later file name, then to
-- the version landed later (an export overwritten with its time kept). Exports are snapshots,
-- so a newer file restates older rows; a quarantined row never replaces a valid one.
create or replace view staging.tahapan as
select * exclude (sah, aturan, pesan, terbaca)
from mentah.tahapan
where sah
qualify row_number() over (
    partition by
        kode_satker,
        kode_tahapan
    order by waktu_file desc, nama_file desc, diterima_pada desc, nomor_baris desc
) = 1;

comment on view staging.tahapan is
'Tahapan pemilu/pemilihan: jadwal dan realisasi pelaksanaan: baris sah terbaru per kunci '
'(kode_tahapan). Sumber: Laporan pelaksanaan tahapan KPU Kabupaten; dipakai untuk IKU-1.';


-- karantina.tahapan: items of IKU-1 known only from quarantined rows (SPEC §4).
-- Grain: one row per kode_satker × kode_tahapan
-- that has no valid row at all but a quarantined row whose key and item dates can be read
-- (mentah.tahapan.terbaca): the newest such row, as above. The IKU counts it once due and
-- never on time, with the data error as its reason.
create or replace view karantina.tahapan as
with baris as (
    select
        *,
        bool_or(sah) over (
            partition by
                kode_satker,
                kode_tahapan
        ) as kunci_ada_yang_sah
    from mentah.tahapan
)

select
    * exclude (sah, aturan, pesan, terbaca, kunci_ada_yang_sah),
    antara.alasan_data_tidak_valid(aturan, nama_file, nomor_baris) as alasan_data
from baris
where not sah and terbaca and not kunci_ada_yang_sah
qualify row_number() over (
    partition by
        kode_satker,
        kode_tahapan
    order by waktu_file desc, nama_file desc, diterima_pada desc, nomor_baris desc
) = 1;

comment on view karantina.tahapan is
'Butir IKU-1 yang hanya dikenal dari baris yang dikarantina: kunci dan tanggalnya '
'terbaca, tetapi tidak ada baris sah. Dihitung bila jatuh tempo, tidak pernah tepat waktu.';
comment on column karantina.tahapan.alasan_data is
'Data tidak valid: aturan yang dilanggar (file, baris)';
