-- The tables of the working-day calendar (SPEC §4 "Working days"), created empty before
-- warehouse.reference fills ref.parameter (the as-of date and the calendar's span) and
-- ref.libur (national holidays and cuti bersama from the pinned holidays package, and the
-- local days off of libur_lokal.csv).
create table ref.parameter (
    tanggal_posisi date not null,
    kalender_mulai date not null,
    kalender_selesai date not null,
    versi_holidays varchar not null,
    hari_peringatan integer not null
);

comment on table ref.parameter is
'Parameter pembangunan basis data (satu baris), terutama tanggal posisi perhitungan IKU';
comment on column ref.parameter.tanggal_posisi is
'Tanggal posisi (as-of): batas waktu sebelum tanggal ini dianggap sudah lewat; penyelesaian '
'setelah tanggal ini belum diperhitungkan';
comment on column ref.parameter.kalender_mulai is 'Tanggal pertama di ref.kalender';
comment on column ref.parameter.kalender_selesai is 'Tanggal terakhir di ref.kalender';
comment on column ref.parameter.versi_holidays is
'Versi paket Python holidays sumber libur nasional';
comment on column ref.parameter.hari_peringatan is
'Butir yang batas waktunya paling lama sekian hari kerja setelah tanggal posisi masuk '
'iku.jatuh_tempo (IKU_DUE_SOON_DAYS, bawaan 5)';

create table ref.libur (
    tanggal date not null,
    nama_libur varchar not null,
    jenis_libur varchar not null
);

comment on table ref.libur is
'Hari libur: libur nasional dan cuti bersama (paket holidays, kategori public dan government) '
'serta libur lokal (libur_lokal.csv)';
comment on column ref.libur.tanggal is 'Tanggal libur';
comment on column ref.libur.nama_libur is 'Nama hari libur';
comment on column ref.libur.jenis_libur is 'libur nasional, cuti bersama, atau libur lokal';
