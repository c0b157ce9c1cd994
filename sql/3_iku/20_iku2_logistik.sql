-- IKU-2 Logistik diinventarisasi dan dipelihara (SPEC §4).
-- Grain: one row per kode_satker × tahun × kode_barang × lokasi_gudang: each line of
--   staging.logistik, and each line known only from quarantined rows (karantina.logistik).
--   Only Kategori = Barang Inventaris is an item; Habis Pakai lines are listed with
--   dihitung = false and a reason, so analysts can see why they are left out.
-- Deadline (cut-off) of Tahun: the day before the first voting day of that year in
--   ref.pemilihan (2024: 13 Feb 2024), else 31 Dec. Tanggal acuan: the cut-off.
-- Completed: both Tanggal Inventarisasi and Tanggal Pemeliharaan fall between 1 Jan of Tahun
--   and the as-of date. A date before 1 Jan is last year's work, so the line is not done yet
--   for this Tahun (choice); the completion date is the later of the two dates.
-- Counted and on time: the common item status (antara.dihitung, antara.tepat_waktu), for
--   Barang Inventaris only. On-time rule of IKU-2: completed by the cut-off, i.e. both
--   dates in [1 Jan, cut-off].
create or replace view iku.iku2_logistik as
with batas as (
    select
        year(tanggal_pemungutan) as tahun,
        min(tanggal_pemungutan) - 1 as batas_waktu
    from ref.pemilihan
    group by year(tanggal_pemungutan)
),

logistik as (
    select
        *,
        null as alasan_data
    from staging.logistik
    union all by name
    select * from karantina.logistik
),

tercatat as (
    select
        l.kode_satker,
        l.tahun,
        l.kode_barang,
        l.nama_barang,
        l.kategori,
        l.lokasi_gudang,
        l.tanggal_inventarisasi,
        l.tanggal_pemeliharaan,
        l.alasan_data,
        l.nama_file,
        l.nomor_baris,
        coalesce(b.batas_waktu, make_date(l.tahun, 12, 31)) as batas_waktu,
        l.kategori = 'Barang Inventaris' as barang_inventaris,
        coalesce(
            l.tanggal_inventarisasi between make_date(l.tahun, 1, 1) and p.tanggal_posisi,
            false
        ) as inventarisasi_tercatat,
        coalesce(
            l.tanggal_pemeliharaan between make_date(l.tahun, 1, 1) and p.tanggal_posisi,
            false
        ) as pemeliharaan_tercatat,
        p.tanggal_posisi
    from logistik as l
    cross join ref.parameter as p
    left join batas as b on l.tahun = b.tahun
),

selesai as (
    select
        *,
        case
            when inventarisasi_tercatat and pemeliharaan_tercatat
                then greatest(tanggal_inventarisasi, tanggal_pemeliharaan)
        end as tanggal_selesai,
        inventarisasi_tercatat and pemeliharaan_tercatat as selesai
    from tercatat
),

dinilai as (
    select
        *,
        barang_inventaris
        and antara.dihitung(selesai, batas_waktu, tanggal_posisi, alasan_data) as dihitung,
        barang_inventaris
        and antara.tepat_waktu(selesai, tanggal_selesai <= batas_waktu, alasan_data)
            as tepat_waktu
    from selesai
)

select
    'IKU-2' as kode_iku,
    kode_satker,
    kode_barang,
    nama_barang,
    kategori,
    lokasi_gudang,
    tanggal_inventarisasi,
    tanggal_pemeliharaan,
    tanggal_selesai,
    batas_waktu,
    batas_waktu as tanggal_acuan,
    tahun,
    cast(quarter(batas_waktu) as integer) as triwulan,
    selesai,
    dihitung,
    tepat_waktu,
    case
        when not barang_inventaris then 'Barang habis pakai: tidak dihitung IKU-2'
        else antara.alasan(
            dihitung,
            tepat_waktu,
            alasan_data,
            'belum selesai',
            concat_ws(
                '; ',
                case
                    when not inventarisasi_tercatat
                        then 'Inventarisasi tahun ini belum tercatat'
                    when tanggal_inventarisasi > batas_waktu
                        then 'Inventarisasi setelah batas waktu'
                end,
                case
                    when not pemeliharaan_tercatat
                        then 'Pemeliharaan tahun ini belum tercatat'
                    when tanggal_pemeliharaan > batas_waktu
                        then 'Pemeliharaan setelah batas waktu'
                end
            )
        )
    end as alasan,
    alasan_data is not null as data_tidak_valid,
    nama_file,
    nomor_baris
from dinilai;

comment on view iku.iku2_logistik is
'IKU-2 logistik diinventarisasi dan dipelihara: satu baris per barang per gudang per tahun. '
'Hanya Barang Inventaris yang dihitung. Tepat waktu bila tanggal inventarisasi dan '
'pemeliharaan keduanya antara 1 Januari tahun itu dan batas waktu (sehari sebelum '
'pemungutan suara pertama tahun itu, atau 31 Desember).';
comment on column iku.iku2_logistik.kode_satker is 'Kode satker, mis. 6204';
comment on column iku.iku2_logistik.tahun is 'Tahun data logistik; juga tahun tanggal acuan';
comment on column iku.iku2_logistik.kode_barang is 'Kode barang logistik';
comment on column iku.iku2_logistik.nama_barang is 'Nama barang logistik';
comment on column iku.iku2_logistik.kategori is 'Barang Inventaris atau Habis Pakai';
comment on column iku.iku2_logistik.lokasi_gudang is 'Gudang tempat barang disimpan';
comment on column iku.iku2_logistik.tanggal_inventarisasi is
'Tanggal barang terakhir diinventarisasi';
comment on column iku.iku2_logistik.tanggal_pemeliharaan is
'Tanggal barang terakhir dipelihara';
comment on column iku.iku2_logistik.tanggal_selesai is
'Tanggal selesai: yang terakhir dari tanggal inventarisasi dan pemeliharaan, bila keduanya '
'antara 1 Januari tahun itu dan tanggal posisi';
comment on column iku.iku2_logistik.batas_waktu is
'Batas waktu: sehari sebelum hari pemungutan suara pertama tahun itu (ref.pemilihan), '
'atau 31 Desember bila tahun itu tanpa pemungutan suara';
comment on column iku.iku2_logistik.tanggal_acuan is
'Tanggal acuan yang menempatkan butir pada tahun dan triwulan: batas waktu';
comment on column iku.iku2_logistik.triwulan is 'Triwulan tanggal acuan, 1 sampai 4';
comment on column iku.iku2_logistik.selesai is
'Benar bila inventarisasi dan pemeliharaan keduanya tercatat antara 1 Januari tahun itu '
'dan tanggal posisi';
comment on column iku.iku2_logistik.dihitung is
'Benar bila masuk penyebut: Barang Inventaris yang sudah selesai atau batas waktunya sebelum '
'tanggal posisi';
comment on column iku.iku2_logistik.tepat_waktu is
'Benar bila masuk pembilang: Barang Inventaris yang selesai paling lambat batas waktu';
comment on column iku.iku2_logistik.alasan is
'Alasan bila tidak dihitung atau tidak tepat waktu; kosong (NULL) bila tepat waktu';
comment on column iku.iku2_logistik.kode_iku is 'Kode IKU butir ini';
comment on column iku.iku2_logistik.data_tidak_valid is
'Benar bila butir hanya dikenal dari baris yang dikarantina: dihitung bila jatuh tempo, '
'tidak pernah tepat waktu';
comment on column iku.iku2_logistik.nama_file is 'File ekspor asal baris butir ini';
comment on column iku.iku2_logistik.nomor_baris is 'Nomor baris butir ini di file ekspor';
