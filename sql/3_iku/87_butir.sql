-- iku.butir: every IKU item in every period it is counted in, one list for all six IKU.
-- Grain: one row per item × period: kode_satker × kode_iku × tahun × triwulan × butir,
--   where triwulan NULL is the whole year. IKU-1, 2, 3, 4 and 6 have one item per row of
--   their detail view, in its quarter and again in its whole year. IKU-5's items are
--   officials per period (iku.iku5_pejabat), which has its own whole-year rows: an official
--   is one item a year, not one per quarter.
-- iku.capaian counts these rows; the LKjIP report lists them (the items that missed, with
--   their alasan). butir names the item in the words of its source; no personal data (the
--   detail views hold none).
create or replace view iku.butir as
with per_triwulan as (
    select
        kode_satker,
        kode_iku,
        tahun,
        triwulan,
        concat_ws(' ', kode_tahapan, nama_tahapan) as butir,
        batas_waktu,
        selesai,
        dihitung,
        tepat_waktu,
        data_tidak_valid,
        alasan
    from iku.iku1_tahapan
    union all
    select
        kode_satker,
        kode_iku,
        tahun,
        triwulan,
        concat_ws(' ', kode_barang, nama_barang, '(' || lokasi_gudang || ')') as butir,
        batas_waktu,
        selesai,
        dihitung,
        tepat_waktu,
        data_tidak_valid,
        alasan
    from iku.iku2_logistik
    union all
    select
        kode_satker,
        kode_iku,
        tahun,
        triwulan,
        'permohonan ' || no_registrasi as butir,
        batas_waktu,
        selesai,
        dihitung,
        tepat_waktu,
        data_tidak_valid,
        alasan
    from iku.iku3_ppid
    union all
    select
        kode_satker,
        kode_iku,
        tahun,
        triwulan,
        concat_ws(' ', kode_desa, nama_desa, 'triwulan ' || triwulan || ' ' || tahun) as butir,
        batas_waktu,
        selesai,
        dihitung,
        tepat_waktu,
        data_tidak_valid,
        alasan
    from iku.iku4_pemilih
    union all
    select
        kode_satker,
        kode_iku,
        tahun,
        triwulan,
        concat_ws(' ', jenis_pemilihan, 'TPS ' || nomor_tps, kode_desa, nama_desa) as butir,
        batas_waktu,
        selesai,
        dihitung,
        tepat_waktu,
        data_tidak_valid,
        alasan
    from iku.iku6_kpps
)

select * from per_triwulan
union all
select
    kode_satker,
    kode_iku,
    tahun,
    null as triwulan,
    butir,
    batas_waktu,
    selesai,
    dihitung,
    tepat_waktu,
    data_tidak_valid,
    alasan
from per_triwulan
union all
select
    kode_satker,
    kode_iku,
    tahun,
    triwulan,
    concat_ws(' ', jabatan_perbendaharaan, nama_pejabat, 'NIP ' || nip) as butir,
    null as batas_waktu,
    null as selesai,
    dihitung,
    tepat_waktu,
    data_tidak_valid,
    alasan
from iku.iku5_pejabat;

comment on view iku.butir is
'Semua butir IKU per periode penghitungannya (triwulan kosong = setahun), satu daftar untuk '
'keenam IKU: yang dihitung iku.capaian dan dirinci laporan LKjIP.';
comment on column iku.butir.kode_satker is 'Kode satker';
comment on column iku.butir.kode_iku is 'IKU-1 sampai IKU-6';
comment on column iku.butir.tahun is 'Tahun tanggal acuan butir';
comment on column iku.butir.triwulan is 'Triwulan 1 sampai 4; kosong (NULL) = setahun penuh';
comment on column iku.butir.butir is 'Nama butir dengan kata-kata sumbernya';
comment on column iku.butir.batas_waktu is
'Batas waktu butir (IKU-5: per laporan, lihat iku.iku5_keuangan)';
comment on column iku.butir.selesai is
'Butir sudah selesai (IKU-5: kosong, lihat iku.iku5_keuangan)';
comment on column iku.butir.dihitung is 'Masuk penyebut';
comment on column iku.butir.tepat_waktu is 'Masuk pembilang';
comment on column iku.butir.data_tidak_valid is
'Butir hanya dikenal dari baris dikarantina (IKU-5: ada laporan pejabat yang dihitung pada '
'periode tetapi hanya dikenal dari baris dikarantina)';
comment on column iku.butir.alasan is 'Alasan tidak tepat waktu (kosong bila tepat waktu)';
