-- IKU-5 Pejabat perbendaharaan menyelesaikan pertanggungjawaban, per report (SPEC §4).
-- Grain: one row per kode_satker × nip × jenis_laporan × periode_laporan: each report of
--   staging.keuangan, and each report known only from quarantined rows
--   (karantina.keuangan). The IKU counts officials, not reports: see iku.iku5_pejabat,
--   which groups these rows per official and period.
-- Deadline and tanggal acuan: Batas Waktu (a December report due in January belongs to
--   January's year and quarter).
-- Completed: Tanggal Penyampaian filled in and not after the as-of date.
-- Counted and on time: the common item status (antara.dihitung, antara.tepat_waktu).
-- On-time rule of a report: Tanggal Penyampaian <= Batas Waktu.
create or replace view iku.iku5_keuangan as
with keuangan as (
    select
        *,
        null as alasan_data
    from staging.keuangan
    union all by name
    select * from karantina.keuangan
),

laporan as (
    select
        k.kode_satker,
        k.nip,
        k.nama_pejabat,
        k.jabatan_perbendaharaan,
        k.jenis_laporan,
        k.periode_laporan,
        k.tanggal_penyampaian,
        k.batas_waktu,
        k.alasan_data,
        k.nama_file,
        k.nomor_baris,
        coalesce(k.tanggal_penyampaian <= p.tanggal_posisi, false) as selesai,
        p.tanggal_posisi
    from keuangan as k
    cross join ref.parameter as p
),

dinilai as (
    select
        *,
        antara.dihitung(selesai, batas_waktu, tanggal_posisi, alasan_data) as dihitung,
        antara.tepat_waktu(selesai, tanggal_penyampaian <= batas_waktu, alasan_data)
            as tepat_waktu
    from laporan
)

select
    'IKU-5' as kode_iku,
    kode_satker,
    nip,
    nama_pejabat,
    jabatan_perbendaharaan,
    jenis_laporan,
    periode_laporan,
    tanggal_penyampaian,
    batas_waktu,
    batas_waktu as tanggal_acuan,
    cast(year(batas_waktu) as integer) as tahun,
    cast(quarter(batas_waktu) as integer) as triwulan,
    selesai,
    dihitung,
    tepat_waktu,
    antara.alasan(
        dihitung,
        tepat_waktu,
        alasan_data,
        'belum disampaikan',
        case
            when not selesai then 'Belum disampaikan, batas waktu sudah lewat'
            else 'Disampaikan setelah batas waktu'
        end
    ) as alasan,
    alasan_data is not null as data_tidak_valid,
    nama_file,
    nomor_baris
from dinilai;

comment on view iku.iku5_keuangan is
'IKU-5 per laporan pertanggungjawaban: satu baris per laporan pejabat perbendaharaan. '
'IKU-5 menghitung pejabat, bukan laporan: lihat iku.iku5_pejabat.';
comment on column iku.iku5_keuangan.kode_satker is 'Kode satker, mis. 6204';
comment on column iku.iku5_keuangan.nip is 'NIP pejabat perbendaharaan';
comment on column iku.iku5_keuangan.nama_pejabat is 'Nama pejabat perbendaharaan';
comment on column iku.iku5_keuangan.jabatan_perbendaharaan is
'Jabatan perbendaharaan (KPA, PPK, PPSPM, Bendahara Pengeluaran, ...)';
comment on column iku.iku5_keuangan.jenis_laporan is 'Jenis laporan, mis. LPJ Bendahara';
comment on column iku.iku5_keuangan.periode_laporan is
'Bulan yang dilaporkan (tanggal 1 bulan itu)';
comment on column iku.iku5_keuangan.tanggal_penyampaian is
'Tanggal laporan disampaikan; kosong bila belum';
comment on column iku.iku5_keuangan.batas_waktu is 'Batas waktu penyampaian laporan';
comment on column iku.iku5_keuangan.tanggal_acuan is
'Tanggal acuan yang menempatkan laporan pada tahun dan triwulan: batas waktu';
comment on column iku.iku5_keuangan.tahun is 'Tahun tanggal acuan';
comment on column iku.iku5_keuangan.triwulan is 'Triwulan tanggal acuan, 1 sampai 4';
comment on column iku.iku5_keuangan.selesai is
'Benar bila tanggal penyampaian terisi dan tidak setelah tanggal posisi';
comment on column iku.iku5_keuangan.dihitung is
'Benar bila laporan dihitung: sudah disampaikan, atau batas waktu sebelum tanggal posisi';
comment on column iku.iku5_keuangan.tepat_waktu is
'Benar bila laporan disampaikan paling lambat batas waktu';
comment on column iku.iku5_keuangan.alasan is
'Alasan bila laporan tidak dihitung atau tidak tepat waktu; kosong (NULL) bila tepat waktu';
comment on column iku.iku5_keuangan.kode_iku is 'Kode IKU butir ini';
comment on column iku.iku5_keuangan.data_tidak_valid is
'Benar bila butir hanya dikenal dari baris yang dikarantina: dihitung bila jatuh tempo, '
'tidak pernah tepat waktu';
comment on column iku.iku5_keuangan.nama_file is 'File ekspor asal baris butir ini';
comment on column iku.iku5_keuangan.nomor_baris is 'Nomor baris butir ini di file ekspor';
