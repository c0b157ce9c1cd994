-- IKU-5 per official and period: the items of IKU-5 (SPEC §4).
-- Grain: one row per kode_satker × nip × tahun × triwulan (triwulan NULL = the whole year):
--   each official (NIP) and period in which they have at least one report
--   (iku.iku5_keuangan, by Batas Waktu). An official is one item per period, so the
--   whole-year row is not the sum of the quarter rows.
-- Counted: at least one of their reports in the period is counted.
-- On time: counted, and every counted report in the period is on time (a report known
--   only from quarantined rows never is, see antara.tepat_waktu).
create or replace view iku.iku5_pejabat as
with laporan_per_periode as (
    select
        kode_satker,
        nip,
        nama_pejabat,
        jabatan_perbendaharaan,
        tahun,
        triwulan,
        batas_waktu,
        dihitung,
        tepat_waktu,
        alasan,
        data_tidak_valid
    from iku.iku5_keuangan
    union all
    select
        kode_satker,
        nip,
        nama_pejabat,
        jabatan_perbendaharaan,
        tahun,
        null as triwulan,
        batas_waktu,
        dihitung,
        tepat_waktu,
        alasan,
        data_tidak_valid
    from iku.iku5_keuangan
),

pejabat as (
    select
        kode_satker,
        nip,
        tahun,
        triwulan,
        -- the name on the report with the latest deadline; ties: the last name, every run
        arg_max(nama_pejabat, (batas_waktu, nama_pejabat)) filter (
            where nama_pejabat is not null
        ) as nama_pejabat,
        string_agg(
            distinct jabatan_perbendaharaan, ', ' order by jabatan_perbendaharaan
        ) as jabatan_perbendaharaan,
        count(*) as jumlah_laporan,
        count(*) filter (where dihitung) as laporan_dihitung,
        count(*) filter (where dihitung and tepat_waktu) as laporan_tepat_waktu,
        -- a broken report counts once due, never before (SPEC §4): until then it says
        -- nothing about the official, who may well be on time
        coalesce(bool_or(data_tidak_valid) filter (where dihitung), false)
            as data_tidak_valid,
        string_agg(alasan, '; ' order by batas_waktu, alasan) filter (
            where dihitung and data_tidak_valid
        ) as alasan_data
    from laporan_per_periode
    group by kode_satker, nip, tahun, triwulan
)

select
    'IKU-5' as kode_iku,
    kode_satker,
    nip,
    nama_pejabat,
    jabatan_perbendaharaan,
    tahun,
    cast(triwulan as integer) as triwulan,
    jumlah_laporan,
    laporan_dihitung,
    laporan_tepat_waktu,
    laporan_dihitung > 0 as dihitung,
    laporan_dihitung > 0 and laporan_tepat_waktu = laporan_dihitung as tepat_waktu,
    case
        when laporan_dihitung = 0
            then 'Belum jatuh tempo: belum ada laporan yang dihitung pada periode ini'
        when laporan_tepat_waktu < laporan_dihitung
            then
                cast(laporan_dihitung - laporan_tepat_waktu as varchar)
                || ' dari '
                || cast(laporan_dihitung as varchar)
                || ' laporan yang dihitung tidak tepat waktu'
                || coalesce(': ' || alasan_data, '')
    end as alasan,
    data_tidak_valid
from pejabat;

comment on view iku.iku5_pejabat is
'Butir IKU-5: satu baris per pejabat perbendaharaan (NIP) per periode (triwulan, dan '
'setahun bila triwulan kosong) yang memiliki laporan dengan batas waktu pada periode itu. '
'Dihitung bila minimal satu laporannya dihitung; tepat waktu bila semua laporannya yang '
'dihitung tepat waktu.';
comment on column iku.iku5_pejabat.kode_satker is 'Kode satker, mis. 6204';
comment on column iku.iku5_pejabat.nip is 'NIP pejabat perbendaharaan';
comment on column iku.iku5_pejabat.nama_pejabat is
'Nama pejabat (dari laporan dengan batas waktu terakhir pada periode)';
comment on column iku.iku5_pejabat.jabatan_perbendaharaan is
'Jabatan perbendaharaan pada laporan periode ini, dipisah koma';
comment on column iku.iku5_pejabat.tahun is 'Tahun periode';
comment on column iku.iku5_pejabat.triwulan is 'Triwulan periode, 1 sampai 4; kosong = setahun';
comment on column iku.iku5_pejabat.jumlah_laporan is
'Jumlah laporan pejabat dengan batas waktu pada periode';
comment on column iku.iku5_pejabat.laporan_dihitung is
'Jumlah laporan yang dihitung (sudah disampaikan atau lewat batas waktu)';
comment on column iku.iku5_pejabat.laporan_tepat_waktu is
'Jumlah laporan yang disampaikan tepat waktu';
comment on column iku.iku5_pejabat.dihitung is
'Benar bila pejabat masuk penyebut: minimal satu laporannya dihitung pada periode';
comment on column iku.iku5_pejabat.tepat_waktu is
'Benar bila pejabat masuk pembilang: semua laporannya yang dihitung tepat waktu';
comment on column iku.iku5_pejabat.alasan is
'Alasan bila tidak dihitung atau tidak tepat waktu; kosong (NULL) bila tepat waktu';
comment on column iku.iku5_pejabat.kode_iku is 'Kode IKU butir ini';
comment on column iku.iku5_pejabat.data_tidak_valid is
'Benar bila ada laporan pejabat ini yang dihitung pada periode tetapi hanya dikenal dari '
'baris yang dikarantina';
