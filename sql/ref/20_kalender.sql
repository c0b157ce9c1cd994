-- ref.kalender: the working-day calendar, from ref.parameter and ref.libur.
-- Grain: one row per date from kalender_mulai to kalender_selesai.
-- A working day is Monday to Friday and no day off. nomor_hari_kerja counts the working days
-- up to and including a date, so the n-th working day after date T is the working day
-- numbered nomor(T) + n (the IKU-3 deadlines are counted on it).
create table ref.kalender as
with hari as (
    select cast(d.tanggal as date) as tanggal
    from
        ref.parameter as p,
        generate_series(p.kalender_mulai, p.kalender_selesai, interval 1 day) as d (tanggal)
),

libur as (
    select
        tanggal,
        string_agg(nama_libur, '; ' order by jenis_libur, nama_libur) as nama_libur,
        string_agg(distinct jenis_libur, '; ' order by jenis_libur) as jenis_libur
    from ref.libur
    group by tanggal
),

kalender as (
    select
        h.tanggal,
        ['Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu', 'Minggu'][
            isodow(h.tanggal)
        ] as nama_hari,
        isodow(h.tanggal) <= 5 and l.tanggal is null as hari_kerja,
        l.nama_libur,
        l.jenis_libur
    from hari as h
    left join libur as l on h.tanggal = l.tanggal
)

select
    *,
    cast(sum(case when hari_kerja then 1 else 0 end) over (order by tanggal) as bigint)
        as nomor_hari_kerja
from kalender
order by tanggal;

comment on table ref.kalender is
'Kalender hari kerja: satu baris per tanggal. Hari kerja = Senin sampai Jumat, bukan libur '
'nasional, cuti bersama, atau libur lokal (ref.libur)';
comment on column ref.kalender.tanggal is 'Tanggal';
comment on column ref.kalender.nama_hari is 'Nama hari (Senin sampai Minggu)';
comment on column ref.kalender.hari_kerja is 'Benar bila tanggal ini hari kerja';
comment on column ref.kalender.nama_libur is
'Nama hari libur pada tanggal ini, dipisah titik koma';
comment on column ref.kalender.jenis_libur is
'Jenis libur pada tanggal ini, dipisah titik koma';
comment on column ref.kalender.nomor_hari_kerja is
'Jumlah hari kerja sejak awal kalender sampai dengan tanggal ini. Hari kerja ke-n sesudah '
'tanggal T adalah hari kerja dengan nomor = nomor(T) + n';
