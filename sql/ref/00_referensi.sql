-- The reference tables an admin edits as CSV files in warehouse/reference/ (one file per
-- table, same name, same columns). warehouse.reference reads each file into its table: a
-- cell is read by the column's type (dates as YYYY-MM-DD or DD/MM/YYYY, decimals with a
-- comma or a dot, booleans as ya/tidak); the constraints below refuse the rest, and the
-- refusal names the file, its line, the column and the column's comment.

-- Grain: one row per satker.
create table ref.satker (
    -- as the landing's satker folders: two or four digits (a code with dots would name no
    -- satker whose exports land, and its name would silently go unused)
    kode_satker varchar primary key
    check (regexp_full_match(kode_satker, '\d{2}(\d{2})?')),
    nama_satker varchar not null
);

comment on table ref.satker is
'Daftar satuan kerja (satker) KPU. Sumber: warehouse/reference/satker.csv';
comment on column ref.satker.kode_satker is
'Kode satker: kode Kemendagri tanpa titik, 2 atau 4 angka (mis. 6204)';
comment on column ref.satker.nama_satker is 'Nama satker';

-- The Kemendagri areas that KPU satkers are named after (warehouse/reference/nasional:
-- idn-area-data 4.0.1, Open Database License; not edited by admins). A satker code is the
-- area code without dots: 62 = KPU Provinsi Kalimantan Tengah, 6204 = KPU Kabupaten Barito
-- Selatan, 00 = KPU RI.
-- Grain: one row per province.
create table ref.provinsi (
    kode_provinsi varchar primary key check (regexp_full_match(kode_provinsi, '\d{2}')),
    nama_provinsi varchar not null
);

comment on table ref.provinsi is
'Provinsi (38), kode Kemendagri. Sumber: warehouse/reference/nasional/provinces.csv '
'(idn-area-data 4.0.1, ODbL)';
comment on column ref.provinsi.kode_provinsi is
'Kode provinsi, 2 digit (= kode satker KPU Provinsi)';
comment on column ref.provinsi.nama_provinsi is 'Nama provinsi';

-- Grain: one row per kabupaten/kota.
create table ref.kabupaten_kota (
    kode_kabupaten_kota varchar primary key
    check (regexp_full_match(kode_kabupaten_kota, '\d{4}')),
    kode_provinsi varchar not null references ref.provinsi (kode_provinsi),
    nama_kabupaten_kota varchar not null
);

comment on table ref.kabupaten_kota is
'Kabupaten/kota (514), kode Kemendagri tanpa titik. Sumber: '
'warehouse/reference/nasional/regencies.csv (idn-area-data 4.0.1, ODbL)';
comment on column ref.kabupaten_kota.kode_kabupaten_kota is
'Kode kabupaten/kota, 4 digit tanpa titik (= kode satker KPU Kabupaten/Kota)';
comment on column ref.kabupaten_kota.kode_provinsi is 'Kode provinsi';
comment on column ref.kabupaten_kota.nama_kabupaten_kota is
'Nama, mis. Kabupaten Barito Selatan';

-- Grain: one row per IKU (exactly IKU-1 to IKU-6, checked by warehouse.reference).
create table ref.iku (
    kode_iku varchar primary key,
    sasaran_strategis varchar not null,
    indikator varchar not null,
    target decimal(5, 2) not null check (target > 0 and target <= 100),
    cara_perhitungan varchar not null,
    sumber_data varchar not null
);

comment on table ref.iku is
'Enam Indikator Kinerja Utama (IKU) Sekretariat KPU Kabupaten Barito Selatan dengan target; '
'teks dari dokumen IKU 2025. Sumber: warehouse/reference/iku.csv';
comment on column ref.iku.kode_iku is 'Kode IKU, IKU-1 sampai IKU-6';
comment on column ref.iku.sasaran_strategis is 'Sasaran strategis (teks dokumen IKU)';
comment on column ref.iku.indikator is 'Indikator kinerja utama (teks dokumen IKU)';
comment on column ref.iku.target is 'Target dalam persen, lebih dari 0 sampai 100';
comment on column ref.iku.cara_perhitungan is 'Cara perhitungan (teks dokumen IKU)';
comment on column ref.iku.sumber_data is 'Sumber data (teks dokumen IKU)';

-- Grain: one row per election.
create table ref.pemilihan (
    jenis_pemilihan varchar primary key,
    tanggal_pemungutan date not null,
    -- the KPPS run the polling stations, so they are inaugurated before voting day (a later
    -- date would count a TPS whose KPPS was inaugurated after the vote as formed on time)
    batas_pelantikan_kpps date not null check (batas_pelantikan_kpps < tanggal_pemungutan)
);

comment on table ref.pemilihan is
'Pemilihan: hari pemungutan suara (batas IKU-2) dan batas pelantikan KPPS (batas IKU-6). '
'Sumber: warehouse/reference/pemilihan.csv';
comment on column ref.pemilihan.jenis_pemilihan is
'Jenis pemilihan, sama dengan Jenis Pemilihan di ekspor, mis. Pemilu 2024';
comment on column ref.pemilihan.tanggal_pemungutan is 'Hari pemungutan suara';
comment on column ref.pemilihan.batas_pelantikan_kpps is
'Batas waktu pelantikan KPPS (IKU-6), sebelum hari pemungutan suara';

-- Grain: one row per PDPB quarter that departs from the default schedule.
create table ref.jadwal_pdpb (
    tahun integer not null,
    triwulan integer not null check (triwulan between 1 and 4),
    -- a pleno for a quarter is not due before the quarter starts, nor after the year that
    -- follows it (a mistyped year would make its items never due, so never counted)
    batas_waktu date check (
        batas_waktu >= make_date(tahun, 3 * triwulan - 2, 1)
        and batas_waktu < make_date(tahun + 2, 1, 1)
    ),
    keterangan varchar,
    primary key (tahun, triwulan)
);

comment on table ref.jadwal_pdpb is
'Pengecualian jadwal pleno PDPB per triwulan (IKU-4). Tanpa baris di sini berlaku aturan '
'bawaan: batas waktu tanggal 14 bulan setelah triwulan berakhir, untuk setiap triwulan sejak '
'2025-I. Batas waktu kosong = triwulan itu tidak ada PDPB. '
'Sumber: warehouse/reference/jadwal_pdpb.csv';
comment on column ref.jadwal_pdpb.tahun is 'Tahun PDPB';
comment on column ref.jadwal_pdpb.triwulan is 'Triwulan PDPB, 1 sampai 4';
comment on column ref.jadwal_pdpb.batas_waktu is
'Batas waktu pleno triwulan ini, dari awal triwulan sampai akhir tahun berikutnya; kosong = '
'tidak ada PDPB triwulan ini';
comment on column ref.jadwal_pdpb.keterangan is 'Dasar pengecualian (mis. surat edaran)';

-- Grain: one row per SAKIP grade.
create table ref.predikat_sakip (
    predikat varchar primary key,
    sebutan varchar not null,
    batas_bawah decimal(5, 2) not null check (batas_bawah between 0 and 100),
    bawah_termasuk boolean not null,
    batas_atas decimal(5, 2) not null check (batas_atas between 0 and 100),
    minimal_b boolean not null,
    check (batas_bawah <= batas_atas)
);

comment on table ref.predikat_sakip is
'Predikat evaluasi SAKIP menurut rentang nilai (PermenPANRB 88/2021): AA >90-100, A >80-90, '
'BB >70-80, B >60-70, CC >50-60, C >30-50, D 0-30. Dipakai oleh iku.sakip dan oleh '
'pemeriksaan predikat ekspor sakip. Sumber: warehouse/reference/predikat_sakip.csv';
comment on column ref.predikat_sakip.predikat is 'Predikat: AA, A, BB, B, CC, C, D';
comment on column ref.predikat_sakip.sebutan is 'Sebutan predikat, mis. Baik';
comment on column ref.predikat_sakip.batas_bawah is 'Batas bawah rentang nilai, 0 sampai 100';
comment on column ref.predikat_sakip.bawah_termasuk is
'Benar bila batas bawah termasuk rentang (hanya D: 0-30); selain itu rentang dimulai di atas '
'batas bawah';
comment on column ref.predikat_sakip.batas_atas is
'Batas atas rentang nilai (termasuk), 0 sampai 100, tidak kurang dari batas bawah';
comment on column ref.predikat_sakip.minimal_b is 'Benar bila predikat B atau lebih baik';

-- Grain: one row per local day off.
create table ref.libur_lokal (
    tanggal date primary key,
    keterangan varchar not null
);

comment on table ref.libur_lokal is
'Hari libur lokal tambahan (bukan hari kerja) di luar libur nasional dan cuti bersama; '
'berlaku untuk semua satker. Sumber: warehouse/reference/libur_lokal.csv';
comment on column ref.libur_lokal.tanggal is 'Tanggal libur lokal';
comment on column ref.libur_lokal.keterangan is 'Nama atau dasar hari libur lokal';
