-- staging.wilayah: the clean typed table of source wilayah (SPEC §2).
-- Grain: one row per kode_satker × kode_wilayah.
-- The newest valid row wins: of all rows that passed the checks (mentah.wilayah.sah), the
-- one from the file with the newest modification time, ties to the later file name, then to
-- the version landed later (an export overwritten with its time kept). Exports are snapshots,
-- so a newer file restates older rows; a quarantined row never replaces a valid one.
create or replace view staging.wilayah as
select * exclude (sah, aturan, pesan, terbaca)
from mentah.wilayah
where sah
qualify row_number() over (
    partition by
        kode_satker,
        kode_wilayah
    order by waktu_file desc, nama_file desc, diterima_pada desc, nomor_baris desc
) = 1;

comment on view staging.wilayah is
'Wilayah administrasi (kode Kemendagri) satker: kabupaten, kecamatan, desa, kelurahan: baris sah '
'terbaru per kunci (kode_wilayah). Sumber: Kepmendagri kode dan data wilayah administrasi '
'pemerintahan; dipakai untuk referensi untuk IKU-4 dan IKU-6.';


-- karantina.wilayah: desa/kelurahan of IKU-4 known only from quarantined rows (SPEC §4).
-- Grain: one row per kode_satker × kode_wilayah
-- that has no valid row at all but a quarantined row whose code can be read
-- (mentah.wilayah.terbaca): the newest such row, as above. IKU-4 counts each of its
-- quarters once due and never on time, with the data error as its reason.
create or replace view karantina.wilayah as
with baris as (
    select
        *,
        bool_or(sah) over (
            partition by
                kode_satker,
                kode_wilayah
        ) as kunci_ada_yang_sah
    from mentah.wilayah
)

select
    * exclude (sah, aturan, pesan, terbaca, kunci_ada_yang_sah),
    antara.alasan_data_tidak_valid(aturan, nama_file, nomor_baris) as alasan_data
from baris
where not sah and terbaca and not kunci_ada_yang_sah
qualify row_number() over (
    partition by
        kode_satker,
        kode_wilayah
    order by waktu_file desc, nama_file desc, diterima_pada desc, nomor_baris desc
) = 1;

comment on view karantina.wilayah is
'Wilayah yang hanya dikenal dari baris yang dikarantina: kodenya terbaca, tetapi tidak ada '
'baris sah. Desa/kelurahannya tetap butir IKU-4: dihitung bila jatuh tempo, tidak pernah '
'tepat waktu.';
comment on column karantina.wilayah.alasan_data is
'Data tidak valid: aturan yang dilanggar (file, baris)';
