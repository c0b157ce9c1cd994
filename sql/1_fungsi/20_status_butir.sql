-- The common status of an IKU item (SPEC §4), one rule for every IKU view.
-- An item enters the denominator (dihitung) once it is completed (selesai), whenever, or
-- once its deadline is strictly before the as-of date. It enters the numerator
-- (tepat_waktu) when it is completed and meets its IKU's own on-time rule (sesuai).
-- An item known only from quarantined rows (alasan_data not NULL) is counted once its
-- deadline is past and is never on time: a broken export must never raise a figure.
-- Every argument may be NULL: a NULL date or rule reads as "not shown", i.e. false.
create or replace macro antara.dihitung(selesai, batas_waktu, tanggal_posisi, alasan_data) as
coalesce(batas_waktu < tanggal_posisi, false)
or (alasan_data is null and coalesce(selesai, false));

comment on macro antara.dihitung is -- noqa: PRS
'Butir masuk penyebut: sudah selesai, atau batas waktunya sebelum tanggal posisi. Butir yang '
'hanya dikenal dari baris dikarantina dihitung hanya bila batas waktunya sudah lewat.';

create or replace macro antara.tepat_waktu(selesai, sesuai, alasan_data) as
alasan_data is null and coalesce(selesai, false) and coalesce(sesuai, false);

comment on macro antara.tepat_waktu is -- noqa: PRS
'Butir masuk pembilang: selesai dan memenuhi aturan tepat waktu IKU-nya; butir dari baris '
'dikarantina tidak pernah tepat waktu.';

-- The reason shown when an item is not on time: none when it is; the data error for an
-- item known only from quarantined rows; "not due yet" while it is not counted; else the
-- IKU's own reason (tidak_tepat).
create or replace macro antara.alasan(
    dihitung, tepat_waktu, alasan_data, belum_selesai, tidak_tepat
) as
case
    when tepat_waktu then null
    when alasan_data is not null then alasan_data
    when not dihitung
        then 'Belum jatuh tempo: ' || belum_selesai || ', batas waktu belum lewat'
    else tidak_tepat
end;

comment on macro antara.alasan is -- noqa: PRS
'Alasan butir tidak tepat waktu: kesalahan data (baris dikarantina), belum jatuh tempo, atau '
'alasan khusus IKU; kosong bila tepat waktu.';

-- The reason of an item known only from a quarantined row: which rules, which file, which
-- row, so an admin can find and fix it.
create or replace macro antara.alasan_data_tidak_valid(aturan, nama_file, nomor_baris) as
'Data tidak valid: ' || aturan || ' (' || nama_file || ', baris ' || nomor_baris || ')';

comment on macro antara.alasan_data_tidak_valid is -- noqa: PRS
'Alasan butir dari baris dikarantina: Data tidak valid: <aturan> (file, baris)';
