-- IKU-1 Tahapan sesuai jadwal (SPEC §4).
-- Grain: one row per kode_satker × kode_tahapan: each stage of staging.tahapan, and each
--   stage known only from quarantined rows (karantina.tahapan).
-- Deadline and tanggal acuan: Jadwal Selesai.
-- Completed: Realisasi Selesai is filled in and not after the as-of date (a completion
--   dated after the as-of date is not known yet on that date).
-- Counted and on time: the common item status (antara.dihitung, antara.tepat_waktu).
-- On-time rule of IKU-1: Realisasi Mulai >= Jadwal Mulai and Realisasi Selesai <=
--   Jadwal Selesai. A completed stage without Realisasi Mulai cannot show it started on
--   schedule, so it is not on time (choice).
create or replace view iku.iku1_tahapan as
with tahapan as (
    select
        *,
        null as alasan_data
    from staging.tahapan
    union all by name
    select * from karantina.tahapan
),

butir as (
    select
        t.kode_satker,
        t.kode_tahapan,
        t.nama_tahapan,
        t.jenis_pemilihan,
        t.jadwal_mulai,
        t.jadwal_selesai,
        t.realisasi_mulai,
        t.realisasi_selesai,
        t.jadwal_selesai as batas_waktu,
        t.jadwal_selesai as tanggal_acuan,
        coalesce(t.realisasi_selesai <= p.tanggal_posisi, false) as selesai,
        t.realisasi_mulai >= t.jadwal_mulai
        and t.realisasi_selesai <= t.jadwal_selesai as sesuai_jadwal,
        t.alasan_data,
        t.nama_file,
        t.nomor_baris,
        p.tanggal_posisi
    from tahapan as t
    cross join ref.parameter as p
),

dinilai as (
    select
        *,
        antara.dihitung(selesai, batas_waktu, tanggal_posisi, alasan_data) as dihitung,
        antara.tepat_waktu(selesai, sesuai_jadwal, alasan_data) as tepat_waktu
    from butir
)

select
    'IKU-1' as kode_iku,
    kode_satker,
    kode_tahapan,
    nama_tahapan,
    jenis_pemilihan,
    jadwal_mulai,
    jadwal_selesai,
    realisasi_mulai,
    realisasi_selesai,
    batas_waktu,
    tanggal_acuan,
    cast(year(tanggal_acuan) as integer) as tahun,
    cast(quarter(tanggal_acuan) as integer) as triwulan,
    selesai,
    dihitung,
    tepat_waktu,
    antara.alasan(
        dihitung,
        tepat_waktu,
        alasan_data,
        'belum selesai',
        case
            when not selesai then 'Belum selesai, batas waktu sudah lewat'
            else concat_ws(
                '; ',
                case when realisasi_mulai is null then 'Realisasi mulai kosong' end,
                case
                    when realisasi_mulai < jadwal_mulai then 'Dimulai sebelum jadwal mulai'
                end,
                case
                    when realisasi_selesai > jadwal_selesai
                        then 'Selesai setelah jadwal selesai'
                end
            )
        end
    ) as alasan,
    alasan_data is not null as data_tidak_valid,
    nama_file,
    nomor_baris
from dinilai;

comment on view iku.iku1_tahapan is
'IKU-1 tahapan sesuai jadwal: satu baris per tahapan. Dihitung bila sudah selesai atau '
'jadwal selesai sebelum tanggal posisi; tepat waktu bila selesai, realisasi mulai tidak '
'sebelum jadwal mulai dan realisasi selesai tidak setelah jadwal selesai.';
comment on column iku.iku1_tahapan.kode_satker is 'Kode satker, mis. 6204';
comment on column iku.iku1_tahapan.kode_tahapan is 'Kode unik tahapan';
comment on column iku.iku1_tahapan.nama_tahapan is 'Nama tahapan';
comment on column iku.iku1_tahapan.jenis_pemilihan is 'Jenis pemilihan tahapan ini';
comment on column iku.iku1_tahapan.jadwal_mulai is 'Tanggal mulai menurut jadwal';
comment on column iku.iku1_tahapan.jadwal_selesai is 'Tanggal selesai menurut jadwal';
comment on column iku.iku1_tahapan.realisasi_mulai is 'Tanggal tahapan benar-benar dimulai';
comment on column iku.iku1_tahapan.realisasi_selesai is
'Tanggal tahapan benar-benar selesai; kosong bila belum selesai';
comment on column iku.iku1_tahapan.batas_waktu is 'Batas waktu: jadwal selesai';
comment on column iku.iku1_tahapan.tanggal_acuan is
'Tanggal acuan yang menempatkan butir pada tahun dan triwulan: jadwal selesai';
comment on column iku.iku1_tahapan.tahun is 'Tahun tanggal acuan';
comment on column iku.iku1_tahapan.triwulan is 'Triwulan tanggal acuan, 1 sampai 4';
comment on column iku.iku1_tahapan.selesai is
'Benar bila realisasi selesai terisi dan tidak setelah tanggal posisi';
comment on column iku.iku1_tahapan.dihitung is
'Benar bila masuk penyebut: sudah selesai, atau batas waktu sebelum tanggal posisi';
comment on column iku.iku1_tahapan.tepat_waktu is
'Benar bila masuk pembilang: selesai, realisasi mulai >= jadwal mulai dan realisasi '
'selesai <= jadwal selesai';
comment on column iku.iku1_tahapan.alasan is
'Alasan bila belum dihitung atau tidak tepat waktu; kosong (NULL) bila tepat waktu';
comment on column iku.iku1_tahapan.kode_iku is 'Kode IKU butir ini';
comment on column iku.iku1_tahapan.data_tidak_valid is
'Benar bila butir hanya dikenal dari baris yang dikarantina: dihitung bila jatuh tempo, '
'tidak pernah tepat waktu';
comment on column iku.iku1_tahapan.nama_file is 'File ekspor asal baris butir ini';
comment on column iku.iku1_tahapan.nomor_baris is 'Nomor baris butir ini di file ekspor';
