-- IKU-4 Data pemilih dimutakhirkan tepat waktu (SPEC §4).
-- Grain: one row per kode_satker × kode_desa × tahun × triwulan: each desa/kelurahan of the
--   satker (staging.wilayah, Tingkat desa or kelurahan) × quarter of the PDPB schedule.
--   The items come from reference data, so a quarantined pemilih row adds no item: it
--   only fails to complete one, and names its data error (karantina.pemilih). A desa
--   known only from a quarantined wilayah row (karantina.wilayah: its code read, its
--   Tingkat or else its 10-digit code saying desa/kelurahan) is an item all the same, never
--   on time: a broken wilayah export must not take its desa out of the IKU.
-- Built after antara.tahun_data, which it reads (hence its file number).
-- Schedule: the default rule, the 14th day of the month after the quarter ends, for every
--   quarter from 2025-Q1 on (PKPU 1/2025), unless ref.jadwal_pdpb has a row for that
--   tahun/triwulan: then its batas_waktu applies, and an empty batas_waktu removes the
--   quarter (no PDPB that quarter). Quarters before 2025 exist only through ref.jadwal_pdpb.
-- Which quarters: the four quarters of every year with data (antara.tahun_data). A year
--   without any export therefore gets no IKU-4 items (choice: the schedule alone would
--   otherwise invent overdue quarters for years nobody reported on yet).
-- Tanggal acuan: the last day of the quarter.
-- Completed: a valid staging.pemilih row of that desa, tahun and triwulan with Tanggal Pleno
--   not after the as-of date.
-- Counted and on time: the common item status (antara.dihitung, antara.tepat_waktu).
-- On-time rule of IKU-4: Tanggal Pleno <= deadline.
create or replace view iku.iku4_pemilih as
with triwulan as (
    select
        d.kode_satker,
        d.tahun,
        q.triwulan
    from antara.tahun_data as d
    cross join (values (1), (2), (3), (4)) as q (triwulan)
),

jadwal as (
    select
        t.kode_satker,
        t.tahun,
        t.triwulan,
        last_day(make_date(t.tahun, 3 * t.triwulan, 1)) as akhir_triwulan,
        case
            when o.tahun is not null then o.batas_waktu
            when t.tahun >= 2025
                then cast(make_date(t.tahun, 3 * t.triwulan, 14) + interval 1 month as date)
        end as batas_waktu,
        case
            when o.tahun is not null then 'ref.jadwal_pdpb' else 'aturan bawaan'
        end as sumber_jadwal
    from triwulan as t
    left join ref.jadwal_pdpb as o on t.tahun = o.tahun and t.triwulan = o.triwulan
),

desa as (
    select
        kode_satker,
        kode_wilayah as kode_desa,
        nama_wilayah as nama_desa,
        tingkat,
        null as alasan_wilayah
    from staging.wilayah
    where tingkat in ('desa', 'kelurahan')
    union all
    select
        kode_satker,
        kode_wilayah as kode_desa,
        nama_wilayah as nama_desa,
        -- a 10-digit code is a kelurahan when its 7th digit is 1, else a desa
        case
            when tingkat in ('desa', 'kelurahan') then tingkat
            when substr(kode_wilayah, 7, 1) = '1' then 'kelurahan'
            else 'desa'
        end as tingkat,
        alasan_data as alasan_wilayah
    from karantina.wilayah
    where coalesce(tingkat in ('desa', 'kelurahan'), length(kode_wilayah) = 10)
),

butir as (
    select
        d.kode_satker,
        d.kode_desa,
        d.nama_desa,
        d.tingkat,
        pm.tanggal_pleno,
        j.batas_waktu,
        j.sumber_jadwal,
        j.akhir_triwulan,
        j.tahun,
        j.triwulan,
        coalesce(pm.tanggal_pleno <= p.tanggal_posisi, false) as selesai,
        p.tanggal_posisi,
        coalesce(
            d.alasan_wilayah, case when pm.kode_desa is null then k.alasan_data end
        ) as alasan_data
    from desa as d
    inner join jadwal as j on d.kode_satker = j.kode_satker
    cross join ref.parameter as p
    left join staging.pemilih as pm
        on
            d.kode_satker = pm.kode_satker
            and d.kode_desa = pm.kode_desa
            and j.tahun = pm.tahun
            and j.triwulan = pm.triwulan
    left join karantina.pemilih as k
        on
            d.kode_satker = k.kode_satker
            and d.kode_desa = k.kode_desa
            and j.tahun = k.tahun
            and j.triwulan = k.triwulan
    where j.batas_waktu is not null
),

dinilai as (
    select
        *,
        antara.dihitung(selesai, batas_waktu, tanggal_posisi, alasan_data) as dihitung,
        antara.tepat_waktu(selesai, tanggal_pleno <= batas_waktu, alasan_data) as tepat_waktu
    from butir
)

select
    'IKU-4' as kode_iku,
    kode_satker,
    kode_desa,
    nama_desa,
    tingkat,
    tanggal_pleno,
    batas_waktu,
    sumber_jadwal,
    akhir_triwulan as tanggal_acuan,
    tahun,
    triwulan,
    selesai,
    dihitung,
    tepat_waktu,
    antara.alasan(
        dihitung,
        tepat_waktu,
        alasan_data,
        'belum ada pleno',
        case
            when not selesai
                then 'Belum ada rekapitulasi PDPB yang sah, batas waktu sudah lewat'
            else 'Pleno setelah batas waktu'
        end
    ) as alasan,
    alasan_data is not null as data_tidak_valid
from dinilai;

comment on view iku.iku4_pemilih is
'IKU-4 data pemilih dimutakhirkan tepat waktu: satu baris per desa/kelurahan per triwulan '
'jadwal PDPB, untuk setiap tahun yang memiliki data. Batas waktu bawaan tanggal 14 bulan '
'setelah triwulan berakhir (sejak triwulan I 2025), kecuali diubah di ref.jadwal_pdpb.';
comment on column iku.iku4_pemilih.kode_satker is 'Kode satker, mis. 6204';
comment on column iku.iku4_pemilih.kode_desa is 'Kode Kemendagri desa/kelurahan';
comment on column iku.iku4_pemilih.nama_desa is 'Nama desa/kelurahan';
comment on column iku.iku4_pemilih.tingkat is 'desa atau kelurahan';
comment on column iku.iku4_pemilih.tanggal_pleno is
'Tanggal rapat pleno rekapitulasi PDPB desa ini pada triwulan ini; kosong bila tidak ada '
'baris yang sah';
comment on column iku.iku4_pemilih.batas_waktu is 'Batas waktu pleno triwulan ini';
comment on column iku.iku4_pemilih.sumber_jadwal is
'Asal batas waktu: aturan bawaan atau ref.jadwal_pdpb';
comment on column iku.iku4_pemilih.tanggal_acuan is
'Tanggal acuan yang menempatkan butir pada tahun dan triwulan: hari terakhir triwulan';
comment on column iku.iku4_pemilih.tahun is 'Tahun PDPB';
comment on column iku.iku4_pemilih.triwulan is 'Triwulan PDPB, 1 sampai 4';
comment on column iku.iku4_pemilih.selesai is
'Benar bila ada baris rekapitulasi yang sah dengan tanggal pleno tidak setelah tanggal posisi';
comment on column iku.iku4_pemilih.dihitung is
'Benar bila masuk penyebut: sudah pleno, atau batas waktu sebelum tanggal posisi';
comment on column iku.iku4_pemilih.tepat_waktu is
'Benar bila masuk pembilang: pleno paling lambat batas waktu';
comment on column iku.iku4_pemilih.alasan is
'Alasan bila tidak dihitung atau tidak tepat waktu; kosong (NULL) bila tepat waktu';
comment on column iku.iku4_pemilih.kode_iku is 'Kode IKU butir ini';
comment on column iku.iku4_pemilih.data_tidak_valid is
'Benar bila desa-triwulan ini hanya punya baris yang dikarantina, atau desa/kelurahannya '
'hanya dikenal dari baris wilayah yang dikarantina: alasannya menyebut kesalahan datanya '
'(butirnya sendiri berasal dari data referensi wilayah dan jadwal)';
