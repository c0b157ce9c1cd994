-- laporan.masalah: every finding of this run (dq.issues) with what an admin should do about it.
-- Grain: one row per finding (as dq.issues).
-- saran depends only on the kind of finding: a source without new exports, a pull that
-- failed or left files out, a rejected file, a quarantined row, a warning on a whole file or
-- source, a warning on a row; the message says what is wrong in the words of the rule.
create or replace view laporan.masalah as
select
    kode_satker,
    source as sumber,
    file_name as nama_file,
    row_number as nomor_baris,
    column_name as kolom,
    rule as aturan,
    severity as tingkat,
    message as pesan,
    case
        when rule in ('tidak_ada_ekspor_baru', 'belum_ada_ekspor')
            then 'Ekspor data terbaru dari aplikasi sumber ke folder landing.'
        when rule in ('penarikan_gagal', 'penarikan_sebagian')
            then
                'Periksa lokasi sumber di IKU_PULL_SOURCES dan file yang disebut pesan; '
                || 'ekspor lain tetap ditarik dan dimuat.'
        when severity = 'error' and row_number is null
            then
                'Perbaiki atau ekspor ulang file ini ke folder landing; seluruh isinya '
                || 'tidak dimuat sampai diperbaiki.'
        when severity = 'error'
            then
                'Perbaiki baris ini di aplikasi sumber lalu ekspor ulang; baris dikarantina '
                || 'dan tidak dihitung dalam IKU sampai diperbaiki.'
        when row_number is null
            then 'Lakukan yang disebut pesan; temuan ini sendiri tidak mengarantina baris.'
        else 'Periksa nilai ini di aplikasi sumber; baris tetap dimuat dan dihitung.'
    end as saran
from dq.issues
order by
    kode_satker asc,
    severity asc,
    source asc,
    file_name asc,
    row_number asc nulls first,
    rule asc;

comment on view laporan.masalah is
'Temuan kualitas data run ini (dq.issues) dengan saran perbaikan untuk admin.';
comment on column laporan.masalah.kode_satker is 'Kode satker';
comment on column laporan.masalah.sumber is 'Sumber';
comment on column laporan.masalah.nama_file is 'File ekspor';
comment on column laporan.masalah.nomor_baris is 'Nomor baris di file; kosong = seluruh file';
comment on column laporan.masalah.kolom is 'Kolom yang bermasalah, bila ada';
comment on column laporan.masalah.aturan is 'Aturan pemeriksaan';
comment on column laporan.masalah.tingkat is
'error (baris dikarantina / file ditolak) atau warning';
comment on column laporan.masalah.pesan is 'Penjelasan temuan';
comment on column laporan.masalah.saran is 'Yang perlu dilakukan admin';
