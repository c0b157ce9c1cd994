-- staging.logistik: the clean typed table of source logistik (SPEC §2).
-- Grain: one row per kode_satker × tahun × kode_barang × lokasi_gudang.
-- The newest valid row wins: of all rows that passed the checks (mentah.logistik.sah), the
-- one from the file with the newest modification time, ties to the later file name, then to
-- the version landed later (an export overwritten with its time kept). Exports are snapshots,
-- so a newer file restates older rows; a quarantined row never replaces a valid one.
create or replace view staging.logistik as
select * exclude (sah, aturan, pesan, terbaca)
from mentah.logistik
where sah
qualify row_number() over (
    partition by
        kode_satker,
        tahun,
        kode_barang,
        lokasi_gudang
    order by waktu_file desc, nama_file desc, diterima_pada desc, nomor_baris desc
) = 1;

comment on view staging.logistik is
'Logistik pemilu/pemilihan per barang dan gudang: inventarisasi dan pemeliharaan: baris sah '
'terbaru per kunci (tahun, kode_barang, lokasi_gudang). Sumber: SILOG (Sistem Informasi Logistik '
'KPU); dipakai untuk IKU-2.';


-- karantina.logistik: items of IKU-2 known only from quarantined rows (SPEC §4).
-- Grain: one row per kode_satker × tahun × kode_barang × lokasi_gudang
-- that has no valid row at all but a quarantined row whose key and item dates can be read
-- (mentah.logistik.terbaca): the newest such row, as above. The IKU counts it once due and
-- never on time, with the data error as its reason.
create or replace view karantina.logistik as
with baris as (
    select
        *,
        bool_or(sah) over (
            partition by
                kode_satker,
                tahun,
                kode_barang,
                lokasi_gudang
        ) as kunci_ada_yang_sah
    from mentah.logistik
)

select
    * exclude (sah, aturan, pesan, terbaca, kunci_ada_yang_sah),
    antara.alasan_data_tidak_valid(aturan, nama_file, nomor_baris) as alasan_data
from baris
where not sah and terbaca and not kunci_ada_yang_sah
qualify row_number() over (
    partition by
        kode_satker,
        tahun,
        kode_barang,
        lokasi_gudang
    order by waktu_file desc, nama_file desc, diterima_pada desc, nomor_baris desc
) = 1;

comment on view karantina.logistik is
'Butir IKU-2 yang hanya dikenal dari baris yang dikarantina: kunci dan tanggalnya '
'terbaca, tetapi tidak ada baris sah. Dihitung bila jatuh tempo, tidak pernah tepat waktu.';
comment on column karantina.logistik.alasan_data is
'Data tidak valid: aturan yang dilanggar (file, baris)';
