-- IKU-3 Permohonan informasi sesuai SOP (SPEC §4, UU 14/2008 Pasal 22).
-- Grain: one row per kode_satker × no_registrasi: each request of staging.ppid, and each
--   request known only from quarantined rows (karantina.ppid).
-- Working days come from ref.kalender (Monday to Friday minus national holidays, cuti
-- bersama and local days off). nomor_hari_kerja counts the working days up to and including
-- a date, so the n-th working day after the day of receipt T is the working day numbered
-- nomor(T) + n: day 1 is the first working day after the day of receipt, whatever day the
-- request arrived (received Saturday 1 Mar 2025 -> day 1 is Monday 3 Mar 2025).
-- Deadline: the 10th working day; the 17th when Perpanjangan = Ya and the extension notice
--   is dated no later than the 10th working day. An extension without a notice date, or
--   notified later, leaves the deadline at 10 working days.
-- Tanggal acuan: Tanggal Permohonan.
-- Completed: Tanggal Pemberitahuan Tertulis filled in and not after the as-of date.
-- Counted and on time: the common item status (antara.dihitung, antara.tepat_waktu).
-- On-time rule of IKU-3: Tanggal Pemberitahuan Tertulis <= deadline.
create or replace view iku.iku3_ppid as
with ppid as (
    select
        *,
        null as alasan_data
    from staging.ppid
    union all by name
    select * from karantina.ppid
),

permohonan as (
    select
        r.kode_satker,
        r.no_registrasi,
        r.tanggal_permohonan,
        r.keputusan,
        coalesce(r.perpanjangan, false) as perpanjangan,
        r.tanggal_pemberitahuan_perpanjangan,
        r.tanggal_pemberitahuan_tertulis,
        r.keberatan,
        r.alasan_data,
        r.nama_file,
        r.nomor_baris,
        terima.nomor_hari_kerja as nomor_hari_terima,
        jawab.nomor_hari_kerja as nomor_hari_jawab,
        p.tanggal_posisi
    from ppid as r
    cross join ref.parameter as p
    left join ref.kalender as terima on r.tanggal_permohonan = terima.tanggal
    left join ref.kalender as jawab on r.tanggal_pemberitahuan_tertulis = jawab.tanggal
),

batas as (
    select
        m.*,
        hk10.tanggal as batas_10_hari_kerja,
        hk17.tanggal as batas_17_hari_kerja
    from permohonan as m
    left join ref.kalender as hk10
        on hk10.hari_kerja and m.nomor_hari_terima + 10 = hk10.nomor_hari_kerja
    left join ref.kalender as hk17
        on hk17.hari_kerja and m.nomor_hari_terima + 17 = hk17.nomor_hari_kerja
),

berlaku as (
    select
        *,
        coalesce(
            perpanjangan and tanggal_pemberitahuan_perpanjangan <= batas_10_hari_kerja, false
        ) as perpanjangan_berlaku
    from batas
),

berbatas as (
    select
        *,
        case
            when perpanjangan_berlaku then batas_17_hari_kerja else batas_10_hari_kerja
        end as batas_waktu,
        coalesce(tanggal_pemberitahuan_tertulis <= tanggal_posisi, false) as selesai
    from berlaku
),

dinilai as (
    select
        *,
        antara.dihitung(selesai, batas_waktu, tanggal_posisi, alasan_data) as dihitung,
        antara.tepat_waktu(
            selesai, tanggal_pemberitahuan_tertulis <= batas_waktu, alasan_data
        ) as tepat_waktu
    from berbatas
)

select
    'IKU-3' as kode_iku,
    kode_satker,
    no_registrasi,
    tanggal_permohonan,
    keputusan,
    keberatan,
    perpanjangan,
    tanggal_pemberitahuan_perpanjangan,
    tanggal_pemberitahuan_tertulis,
    nomor_hari_jawab - nomor_hari_terima as lama_hari_kerja,
    batas_10_hari_kerja,
    batas_17_hari_kerja,
    perpanjangan_berlaku,
    batas_waktu,
    tanggal_permohonan as tanggal_acuan,
    cast(year(tanggal_permohonan) as integer) as tahun,
    cast(quarter(tanggal_permohonan) as integer) as triwulan,
    selesai,
    dihitung,
    tepat_waktu,
    case
        when batas_waktu is null and not tepat_waktu and alasan_data is null
            then 'Tanggal permohonan di luar ref.kalender'
        else antara.alasan(
            dihitung,
            tepat_waktu,
            alasan_data,
            'belum dijawab',
            concat_ws(
                '; ',
                case
                    when not selesai
                        then 'Belum ada pemberitahuan tertulis, batas waktu sudah lewat'
                    when perpanjangan_berlaku
                        then 'Pemberitahuan tertulis setelah 17 hari kerja (dengan perpanjangan)'
                    else 'Pemberitahuan tertulis setelah 10 hari kerja'
                end,
                case
                    when perpanjangan and tanggal_pemberitahuan_perpanjangan is null
                        then 'perpanjangan tidak berlaku: tanggal pemberitahuannya kosong'
                    when perpanjangan and not perpanjangan_berlaku
                        then 'perpanjangan tidak berlaku: diberitahukan setelah hari kerja ke-10'
                end
            )
        )
    end as alasan,
    alasan_data is not null as data_tidak_valid,
    nama_file,
    nomor_baris
from dinilai;

comment on view iku.iku3_ppid is
'IKU-3 permohonan informasi publik sesuai SOP: satu baris per permohonan. Batas waktu 10 '
'hari kerja sejak hari kerja pertama setelah permohonan diterima; 17 hari kerja bila '
'diperpanjang dan perpanjangan diberitahukan paling lambat hari kerja ke-10 '
'(UU 14/2008 Pasal 22).';
comment on column iku.iku3_ppid.kode_satker is 'Kode satker, mis. 6204';
comment on column iku.iku3_ppid.no_registrasi is 'Nomor registrasi permohonan';
comment on column iku.iku3_ppid.tanggal_permohonan is 'Tanggal permohonan diterima';
comment on column iku.iku3_ppid.keputusan is 'Keputusan atas permohonan';
comment on column iku.iku3_ppid.keberatan is 'Pemohon mengajukan keberatan';
comment on column iku.iku3_ppid.perpanjangan is
'Jangka waktu diperpanjang (Perpanjangan = Ya); kolom kosong dibaca Tidak';
comment on column iku.iku3_ppid.tanggal_pemberitahuan_perpanjangan is
'Tanggal pemohon diberi tahu perpanjangan';
comment on column iku.iku3_ppid.tanggal_pemberitahuan_tertulis is
'Tanggal pemberitahuan tertulis (jawaban); kosong bila belum dijawab';
comment on column iku.iku3_ppid.lama_hari_kerja is
'Jumlah hari kerja sesudah hari permohonan diterima sampai dengan hari pemberitahuan '
'tertulis';
comment on column iku.iku3_ppid.batas_10_hari_kerja is
'Hari kerja ke-10; hari kerja ke-1 adalah hari kerja pertama setelah hari permohonan diterima';
comment on column iku.iku3_ppid.batas_17_hari_kerja is
'Hari kerja ke-17 (batas bila perpanjangan berlaku)';
comment on column iku.iku3_ppid.perpanjangan_berlaku is
'Benar bila Perpanjangan = Ya dan pemberitahuan perpanjangan paling lambat hari kerja ke-10';
comment on column iku.iku3_ppid.batas_waktu is
'Batas waktu yang berlaku: hari kerja ke-17 bila perpanjangan berlaku, selain itu ke-10';
comment on column iku.iku3_ppid.tanggal_acuan is
'Tanggal acuan yang menempatkan butir pada tahun dan triwulan: tanggal permohonan';
comment on column iku.iku3_ppid.tahun is 'Tahun tanggal acuan';
comment on column iku.iku3_ppid.triwulan is 'Triwulan tanggal acuan, 1 sampai 4';
comment on column iku.iku3_ppid.selesai is
'Benar bila pemberitahuan tertulis terisi dan tidak setelah tanggal posisi';
comment on column iku.iku3_ppid.dihitung is
'Benar bila masuk penyebut: sudah dijawab, atau batas waktu sebelum tanggal posisi';
comment on column iku.iku3_ppid.tepat_waktu is
'Benar bila masuk pembilang: pemberitahuan tertulis paling lambat batas waktu';
comment on column iku.iku3_ppid.alasan is
'Alasan bila tidak dihitung atau tidak tepat waktu; kosong (NULL) bila tepat waktu';
comment on column iku.iku3_ppid.kode_iku is 'Kode IKU butir ini';
comment on column iku.iku3_ppid.data_tidak_valid is
'Benar bila butir hanya dikenal dari baris yang dikarantina: dihitung bila jatuh tempo, '
'tidak pernah tepat waktu';
comment on column iku.iku3_ppid.nama_file is 'File ekspor asal baris butir ini';
comment on column iku.iku3_ppid.nomor_baris is 'Nomor baris butir ini di file ekspor';
