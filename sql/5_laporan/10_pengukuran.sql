-- laporan.pengukuran: the measurement table of LKjIP chapter III (PermenPANRB 53/2014),
-- Pengukuran Kinerja: sasaran strategis, indikator, target, realisasi, capaian, next to the
-- same IKU in the year before.
-- Grain: one row per kode_satker × tahun × kode_iku (the whole-year rows of iku.capaian).
-- The figures are iku.capaian's own; nothing is recomputed here.
create or replace view laporan.pengukuran as
select
    c.kode_satker,
    s.nama_satker,
    c.tahun,
    c.kode_iku,
    i.sasaran_strategis,
    c.indikator,
    c.target,
    c.pembilang,
    c.penyebut,
    c.realisasi,
    c.capaian,
    c.realisasi >= c.target as tercapai,
    lalu.realisasi as realisasi_tahun_lalu,
    lalu.capaian as capaian_tahun_lalu,
    c.realisasi - lalu.realisasi as selisih_realisasi
from iku.capaian as c
inner join ref.iku as i on c.kode_iku = i.kode_iku
left join antara.satker as s on c.kode_satker = s.kode_satker
left join iku.capaian as lalu
    on
        c.kode_satker = lalu.kode_satker
        and c.kode_iku = lalu.kode_iku
        and lalu.tahun = c.tahun - 1
        and lalu.triwulan is null
where c.triwulan is null;

comment on view laporan.pengukuran is
'Tabel Pengukuran Kinerja LKjIP Bab III per satker, tahun dan IKU (angka setahun dari '
'iku.capaian), dengan realisasi tahun sebelumnya.';
comment on column laporan.pengukuran.kode_satker is 'Kode satker';
comment on column laporan.pengukuran.nama_satker is
'Nama satker (ref.satker, atau KPU + nama wilayah Kemendagri)';
comment on column laporan.pengukuran.tahun is 'Tahun';
comment on column laporan.pengukuran.kode_iku is 'IKU-1 sampai IKU-6';
comment on column laporan.pengukuran.sasaran_strategis is 'Sasaran strategis (dokumen IKU)';
comment on column laporan.pengukuran.indikator is 'Indikator kinerja (dokumen IKU)';
comment on column laporan.pengukuran.target is 'Target dalam persen';
comment on column laporan.pengukuran.pembilang is 'Butir dihitung dan tepat waktu';
comment on column laporan.pengukuran.penyebut is 'Butir dihitung';
comment on column laporan.pengukuran.realisasi is 'Realisasi dalam persen; kosong bila penyebut 0';
comment on column laporan.pengukuran.capaian is 'Capaian dalam persen dari target';
comment on column laporan.pengukuran.tercapai is
'Realisasi mencapai target; kosong bila belum ada butir';
comment on column laporan.pengukuran.realisasi_tahun_lalu is 'Realisasi tahun sebelumnya';
comment on column laporan.pengukuran.capaian_tahun_lalu is 'Capaian tahun sebelumnya';
comment on column laporan.pengukuran.selisih_realisasi is
'Realisasi tahun ini dikurangi realisasi tahun sebelumnya, dalam poin persen';
