-- IKU-5 Pejabat perbendaharaan menyelesaikan pertanggungjawaban, per report: one row per
-- report in staging.keuangan (SPEC §4). The IKU counts officials, not reports: see
-- iku.iku5_pejabat, which groups these rows per official and period.
-- Deadline and tanggal acuan: Batas Waktu (a December report due in January belongs to
--   January's year and quarter).
-- Completed: Tanggal Penyampaian filled in and not after the as-of date.
-- Counted: completed, or Batas Waktu strictly before the as-of date.
-- On time: completed and Tanggal Penyampaian <= Batas Waktu.
create or replace view iku.iku5_keuangan as
with laporan as (
    select
        k.kode_satker,
        k.nip,
        k.nama_pejabat,
        k.jabatan_perbendaharaan,
        k.jenis_laporan,
        k.periode_laporan,
        k.tanggal_penyampaian,
        k.batas_waktu,
        coalesce(k.tanggal_penyampaian <= p.tanggal_posisi, false) as selesai,
        p.tanggal_posisi
    from staging.keuangan as k
    cross join ref.parameter as p
)

select
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
    selesai or batas_waktu < tanggal_posisi as dihitung,
    selesai and tanggal_penyampaian <= batas_waktu as tepat_waktu,
    case
        when selesai and tanggal_penyampaian <= batas_waktu then null
        when not selesai and batas_waktu >= tanggal_posisi
            then 'Belum jatuh tempo: belum disampaikan, batas waktu belum lewat'
        when not selesai then 'Belum disampaikan, batas waktu sudah lewat'
        else 'Disampaikan setelah batas waktu'
    end as alasan
from laporan;

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
