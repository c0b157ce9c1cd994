-- staging.ppid: the clean typed table of source ppid (SPEC §2).
-- Grain: one row per kode_satker × no_registrasi.
-- The newest valid row wins: of all rows that passed the checks (mentah.ppid.sah), the
-- one from the file with the newest modification time, ties to the later file name, then to
-- the version landed later (an export overwritten with its time kept). Exports are snapshots,
-- so a newer file restates older rows; a quarantined row never replaces a valid one.
create or replace view staging.ppid as
select * exclude (sah, aturan, pesan, terbaca)
from mentah.ppid
where sah
qualify row_number() over (
    partition by
        kode_satker,
        no_registrasi
    order by waktu_file desc, nama_file desc, diterima_pada desc, nomor_baris desc
) = 1;

comment on view staging.ppid is
'Register permohonan informasi publik (PPID): baris sah terbaru per kunci (no_registrasi). '
'Sumber: Register permohonan informasi PPID KPU Kabupaten; dipakai untuk IKU-3.';


-- karantina.ppid: items of IKU-3 known only from quarantined rows (SPEC §4).
-- Grain: one row per kode_satker × no_registrasi
-- that has no valid row at all but a quarantined row whose key and item dates can be read
-- (mentah.ppid.terbaca): the newest such row, as above. The IKU counts it once due and
-- never on time, with the data error as its reason.
create or replace view karantina.ppid as
with baris as (
    select
        *,
        bool_or(sah) over (
            partition by
                kode_satker,
                no_registrasi
        ) as kunci_ada_yang_sah
    from mentah.ppid
)

select
    * exclude (sah, aturan, pesan, terbaca, kunci_ada_yang_sah),
    antara.alasan_data_tidak_valid(aturan, nama_file, nomor_baris) as alasan_data
from baris
where not sah and terbaca and not kunci_ada_yang_sah
qualify row_number() over (
    partition by
        kode_satker,
        no_registrasi
    order by waktu_file desc, nama_file desc, diterima_pada desc, nomor_baris desc
) = 1;

comment on view karantina.ppid is
'Butir IKU-3 yang hanya dikenal dari baris yang dikarantina: kunci dan tanggalnya '
'terbaca, tetapi tidak ada baris sah. Dihitung bila jatuh tempo, tidak pernah tepat waktu.';
comment on column karantina.ppid.alasan_data is
'Data tidak valid: aturan yang dilanggar (file, baris)';
